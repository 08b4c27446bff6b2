import { KorpuException } from '@korpu/errors';

export enum InboundErrorCode {
  SERVICE_UNKNOWN = 'INBOUND_SERVICE_UNKNOWN',
  /** No client certificate where mutual TLS is required, or a certificate no client is registered with. */
  CLIENT_UNAUTHENTICATED = 'INBOUND_CLIENT_UNAUTHENTICATED',
  /** The client named in the message (xrd:client / X-Road-Client) is not the one the certificates identify. */
  CLIENT_MISMATCH = 'INBOUND_CLIENT_MISMATCH',
  /** A REST request without the detached JWS header. */
  SIGNATURE_REQUIRED = 'SIGNATURE_MISSING',
  /** The owning subsystem did not answer within the caller's timeout (the request stays on Kafka). */
  REPLY_TIMEOUT = 'INBOUND_REPLY_TIMEOUT',
  /** The owning subsystem answered with an error or could not be reached. */
  SUBSYSTEM_FAILED = 'INBOUND_SUBSYSTEM_FAILED',
  /** The subsystem's reply does not match the reply schema of the service. */
  REPLY_INVALID = 'INBOUND_REPLY_INVALID',
  BROKER_UNAVAILABLE = 'BROKER_UNAVAILABLE',
  /** The caller's message id (xrd:id / X-Road-Id) was already used by another client or for another service. */
  MESSAGE_ID_CONFLICT = 'MESSAGE_ID_CONFLICT',
  /** The caller's message id (xrd:id / X-Road-Id) breaks the one id rule (MESSAGE_ID_RULE of @korpu/envelope). */
  MESSAGE_ID_INVALID = 'MESSAGE_ID_INVALID',
  /** The user on whose behalf the caller acts (xrd:userId / X-Road-UserId) is longer than 200 characters or holds control characters. */
  USER_ID_INVALID = 'USER_ID_INVALID',
  CONFIGURATION_INVALID = 'INBOUND_CONFIGURATION_INVALID',
}

const STATUS: Record<InboundErrorCode, number> = {
  [InboundErrorCode.SERVICE_UNKNOWN]: 404,
  [InboundErrorCode.CLIENT_UNAUTHENTICATED]: 401,
  [InboundErrorCode.CLIENT_MISMATCH]: 401,
  [InboundErrorCode.SIGNATURE_REQUIRED]: 401,
  [InboundErrorCode.REPLY_TIMEOUT]: 504,
  [InboundErrorCode.SUBSYSTEM_FAILED]: 502,
  [InboundErrorCode.REPLY_INVALID]: 502,
  [InboundErrorCode.BROKER_UNAVAILABLE]: 503,
  [InboundErrorCode.MESSAGE_ID_CONFLICT]: 409,
  [InboundErrorCode.MESSAGE_ID_INVALID]: 400,
  [InboundErrorCode.USER_ID_INVALID]: 400,
  [InboundErrorCode.CONFIGURATION_INVALID]: 500,
};

export class InboundException extends KorpuException<InboundErrorCode> {
  constructor(code: InboundErrorCode, message: string, details?: Record<string, unknown>, cause?: unknown) {
    super(code, message, { status: STATUS[code], details, cause, retryable: code === InboundErrorCode.BROKER_UNAVAILABLE });
  }
}
