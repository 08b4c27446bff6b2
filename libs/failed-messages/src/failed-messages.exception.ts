import { KorpuException } from '@korpu/errors';
import { FailedMessagesErrorCode } from './failed-messages-error-code';

const STATUS: Record<FailedMessagesErrorCode, number> = {
  [FailedMessagesErrorCode.NOT_FOUND]: 404,
  [FailedMessagesErrorCode.REQUEST_INVALID]: 400,
  [FailedMessagesErrorCode.ADMIN_UNAUTHENTICATED]: 401,
  [FailedMessagesErrorCode.EDIT_INVALID]: 422,
  [FailedMessagesErrorCode.EDIT_VALIDATION_UNAVAILABLE]: 503,
  [FailedMessagesErrorCode.STATE_CONFLICT]: 409,
  [FailedMessagesErrorCode.NOT_REPLAYABLE]: 422,
  [FailedMessagesErrorCode.REPLAY_PUBLISH_FAILED]: 503,
  [FailedMessagesErrorCode.JOB_NOT_FOUND]: 404,
  [FailedMessagesErrorCode.JOB_STATE_CONFLICT]: 409,
  [FailedMessagesErrorCode.RESTORE_EXPIRED]: 409,
};

// Problem details spread `details` beside these members: details must not overwrite them.
const RESERVED = new Set(['type', 'title', 'status', 'code', 'detail', 'instance', 'errorId', 'correlationId']);

export class FailedMessagesException extends KorpuException<FailedMessagesErrorCode> {
  constructor(code: FailedMessagesErrorCode, message: string, details?: Record<string, unknown>, cause?: unknown) {
    super(code, message, {
      status: STATUS[code],
      details: details && Object.fromEntries(Object.entries(details).filter(([name]) => !RESERVED.has(name))),
      cause,
      retryable: code === FailedMessagesErrorCode.REPLAY_PUBLISH_FAILED || code === FailedMessagesErrorCode.EDIT_VALIDATION_UNAVAILABLE,
    });
  }

  static notFound(messageId: string): FailedMessagesException {
    return new FailedMessagesException(FailedMessagesErrorCode.NOT_FOUND, `No failed message has id "${messageId}"`);
  }

  static invalid(problems: string[]): FailedMessagesException {
    return new FailedMessagesException(FailedMessagesErrorCode.REQUEST_INVALID, problems.join('; '), { problems });
  }
}
