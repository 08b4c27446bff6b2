import { KorpuException } from '@korpu/errors';

/** Why the dispatcher itself refused to deliver a record (not a partner failure). */
export enum DeliveryErrorCode {
  /** The client's access right to the service was revoked (or the client disabled) after the gateway accepted the message. */
  ACCESS_REVOKED = 'ACCESS_REVOKED',
  /** A retry record names a target topic that is not an outbound topic of this stack's partners (or none). */
  RETRY_TARGET_NOT_ALLOWED = 'RETRY_TARGET_NOT_ALLOWED',
  /** A record's message type is not the request type its service's operation takes (partner.json). */
  MESSAGE_TYPE_MISMATCH = 'MESSAGE_TYPE_MISMATCH',
  /** A record on one partner's outbound topic names a service of another partner. */
  RECORD_TOPIC_MISMATCH = 'RECORD_TOPIC_MISMATCH',
  /** A record reuses the message id of another client's or another service's message. */
  MESSAGE_ID_CONFLICT = 'MESSAGE_ID_CONFLICT',
}

export class DeliveryException extends KorpuException<DeliveryErrorCode> {
  constructor(code: DeliveryErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, { status: code === DeliveryErrorCode.ACCESS_REVOKED ? 403 : 500, details });
  }
}
