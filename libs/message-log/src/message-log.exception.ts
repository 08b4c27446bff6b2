import { KorpuException } from '@korpu/errors';
import { MessageLogErrorCode } from './message-log-error-code';

const STATUS: Record<MessageLogErrorCode, number> = {
  [MessageLogErrorCode.INVALID_ARGUMENT]: 400,
  [MessageLogErrorCode.ENTRY_INVALID]: 500,
  [MessageLogErrorCode.CHAIN_BROKEN]: 500,
  [MessageLogErrorCode.ARCHIVE_INVALID]: 500,
  [MessageLogErrorCode.ARCHIVE_CONFLICT]: 409,
};

/** Every refusal of the message log. Log entries are written by the gateway itself, so all are server-side (5xx). */
export class MessageLogException extends KorpuException<MessageLogErrorCode> {
  constructor(code: MessageLogErrorCode, message: string, details?: Record<string, unknown>, cause?: unknown) {
    super(code, message, {
      status: STATUS[code],
      retryable: code === MessageLogErrorCode.ARCHIVE_CONFLICT,
      details,
      cause,
    });
  }
}
