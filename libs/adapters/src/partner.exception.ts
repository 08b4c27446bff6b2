import { ContentType, SignatureInfo } from '@korpu/envelope';
import { KorpuException } from '@korpu/errors';

/** How a partner exchange failed. The retry policy reads only this code (and the partner's retryOn list). */
export enum PartnerErrorCode {
  TIMEOUT = 'PARTNER_TIMEOUT',
  UNAVAILABLE = 'PARTNER_UNAVAILABLE',
  CONNECTION_FAILED = 'PARTNER_CONNECTION_FAILED',
  TLS_FAILED = 'PARTNER_TLS_FAILED',
  SERVER_ERROR = 'PARTNER_SERVER_ERROR',
  CLIENT_ERROR = 'PARTNER_CLIENT_ERROR',
  /** The partner answered 3xx: never followed (the signed request would go to another address); retried only if its retryOn says so. */
  REDIRECTED = 'PARTNER_REDIRECTED',
  /** The reply body is larger than the cap (MAX_REPLY_BYTES): it was cut off unread. */
  REPLY_TOO_LARGE = 'PARTNER_REPLY_TOO_LARGE',
  SOAP_FAULT = 'PARTNER_SOAP_FAULT',
  REPLY_MALFORMED = 'PARTNER_REPLY_MALFORMED',
  REPLY_SIGNATURE_INVALID = 'PARTNER_REPLY_SIGNATURE_INVALID',
  /**
   * The reply's signature could not be checked right now: no current CRL, OCSP responder down (our side, not a
   * verdict on the reply). Always retried within the partner's attempts, whatever its retryOn says; alert on it.
   */
  REVOCATION_UNAVAILABLE = 'REVOCATION_UNAVAILABLE',
  REPLY_SCHEMA_INVALID = 'PARTNER_REPLY_SCHEMA_INVALID',
  /** The reply's signature verifies and chains to the trust store, but it is not one the partner's `signers` name. */
  REPLY_SIGNER_NOT_PARTNER = 'REPLY_SIGNER_NOT_PARTNER',
  /** The reply does not answer our request: SOAP without our xrd:requestHash/client/service/id, REST JWS without our request hash. */
  REPLY_NOT_BOUND_TO_REQUEST = 'REPLY_NOT_BOUND_TO_REQUEST',
}

/** Refusals of a reply that came back (it is logged as refused); never retried: asking again cannot change who answers. */
export const REFUSED_REPLY_CODES: readonly PartnerErrorCode[] = [PartnerErrorCode.REPLY_SIGNER_NOT_PARTNER, PartnerErrorCode.REPLY_NOT_BOUND_TO_REQUEST];

export class PartnerException extends KorpuException<PartnerErrorCode> {
  constructor(code: PartnerErrorCode, message: string, details?: Record<string, unknown>, cause?: unknown) {
    super(code, message, { status: 502, details, cause });
  }
}

/** A reply the partner sent that was refused, as it came: what the message log keeps of a refusal. */
export interface RefusedReply {
  contentType: ContentType;
  payload: string;
  /** The reply's signature (its certificate: who signed). */
  signature?: SignatureInfo;
  /** The signature Körpü put on the request that was sent. */
  requestSignature?: SignatureInfo;
}

/** A partner's reply refused for who signed it or for what it answers (REFUSED_REPLY_CODES). */
export class ReplyRefusedException extends PartnerException {
  constructor(
    code: PartnerErrorCode.REPLY_SIGNER_NOT_PARTNER | PartnerErrorCode.REPLY_NOT_BOUND_TO_REQUEST,
    message: string,
    details: Record<string, unknown>,
    readonly reply: RefusedReply,
  ) {
    super(code, message, details);
  }
}
