import { KorpuException } from '@korpu/errors';

export enum ExchangeErrorCode {
  REQUEST_INVALID = 'REQUEST_INVALID',
  MESSAGE_TYPE_MISMATCH = 'MESSAGE_TYPE_MISMATCH',
  MESSAGE_ID_CONFLICT = 'MESSAGE_ID_CONFLICT',
  /** Another submit of the same caller-chosen id is being queued right now; retrying shortly gets its result. */
  MESSAGE_IN_PROGRESS = 'MESSAGE_IN_PROGRESS',
  MESSAGE_NOT_FOUND = 'MESSAGE_NOT_FOUND',
  BROKER_UNAVAILABLE = 'BROKER_UNAVAILABLE',
  REPLY_TIMEOUT = 'REPLY_TIMEOUT',
  /** Too many synchronous exchanges wait for a reply (the partner's or the gateway's budget): nothing accepted, retry. */
  EXCHANGE_OVERLOADED = 'EXCHANGE_OVERLOADED',
  EXCHANGE_FAILED = 'EXCHANGE_FAILED',
}

const statusOf: Record<ExchangeErrorCode, number> = {
  [ExchangeErrorCode.REQUEST_INVALID]: 400,
  [ExchangeErrorCode.MESSAGE_TYPE_MISMATCH]: 422,
  [ExchangeErrorCode.MESSAGE_ID_CONFLICT]: 409,
  [ExchangeErrorCode.MESSAGE_IN_PROGRESS]: 409,
  [ExchangeErrorCode.MESSAGE_NOT_FOUND]: 404,
  [ExchangeErrorCode.BROKER_UNAVAILABLE]: 503,
  [ExchangeErrorCode.REPLY_TIMEOUT]: 504,
  [ExchangeErrorCode.EXCHANGE_OVERLOADED]: 503,
  [ExchangeErrorCode.EXCHANGE_FAILED]: 502,
};

const RETRYABLE = new Set([ExchangeErrorCode.BROKER_UNAVAILABLE, ExchangeErrorCode.MESSAGE_IN_PROGRESS, ExchangeErrorCode.EXCHANGE_OVERLOADED]);

export class ExchangeException extends KorpuException<ExchangeErrorCode> {
  constructor(code: ExchangeErrorCode, message: string, details?: Record<string, unknown>, cause?: unknown) {
    super(code, message, { status: statusOf[code], details, cause, retryable: RETRYABLE.has(code), loggedAtSource: code === ExchangeErrorCode.EXCHANGE_OVERLOADED });
  }
}
