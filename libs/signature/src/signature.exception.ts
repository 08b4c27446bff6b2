import { KorpuException } from '@korpu/errors';
import { SignatureErrorCode } from './signature-error-code';

const STATUS: Partial<Record<SignatureErrorCode, number>> = {
  [SignatureErrorCode.XML_MALFORMED]: 400,
  [SignatureErrorCode.XML_DOCTYPE_FORBIDDEN]: 400,
  [SignatureErrorCode.XML_TOO_COMPLEX]: 400,
  [SignatureErrorCode.JWS_MALFORMED]: 400,
  [SignatureErrorCode.CRL_UNAVAILABLE]: 503,
  [SignatureErrorCode.OCSP_UNAVAILABLE]: 503,
  [SignatureErrorCode.OCSP_RESPONSE_INVALID]: 503,
  [SignatureErrorCode.OCSP_RESPONSE_STALE]: 503,
  [SignatureErrorCode.KEY_NOT_FOUND]: 500,
  [SignatureErrorCode.KEY_INVALID]: 500,
};

/**
 * Revocation status could not be established right now (no current CRL, OCSP responder unreachable or answering
 * stale or unusable responses): the message may be fine, try again later. Every other refusal is a verdict.
 */
const RETRYABLE = new Set<SignatureErrorCode>([
  SignatureErrorCode.CRL_UNAVAILABLE,
  SignatureErrorCode.OCSP_UNAVAILABLE,
  SignatureErrorCode.OCSP_RESPONSE_INVALID,
  SignatureErrorCode.OCSP_RESPONSE_STALE,
]);

/**
 * Any refusal by the signature capability. Status 401 (the message is not authentic) unless the code says
 * otherwise: 400 for unparsable input, 503 (retryable) when revocation status cannot be established,
 * 500 for local key configuration errors.
 */
export class SignatureException extends KorpuException<SignatureErrorCode> {
  constructor(code: SignatureErrorCode, message: string, details?: Record<string, unknown>, cause?: unknown) {
    super(code, message, {
      status: STATUS[code] ?? 401,
      retryable: RETRYABLE.has(code),
      details,
      cause,
    });
  }
}

export function isSignatureException(error: unknown, code?: SignatureErrorCode): error is SignatureException {
  return error instanceof SignatureException && (code === undefined || error.code === code);
}

/**
 * Whether a refusal only says that revocation cannot be checked right now (a CRL past its nextUpdate or missing,
 * an OCSP responder down), not that the signature or certificate is bad: a caller may try again later, and should
 * alert on it rather than blame the signer.
 */
export function isRevocationUnavailable(error: unknown): boolean {
  return error instanceof SignatureException && RETRYABLE.has(error.code);
}
