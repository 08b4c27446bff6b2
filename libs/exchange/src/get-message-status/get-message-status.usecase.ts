import { Injectable } from '@nestjs/common';
import { isValidMessageId } from '@korpu/envelope';
import { MessageRecord, MessageStatusRepository } from '@korpu/tracking';
import { ExchangeErrorCode, ExchangeException } from '../exchange.exception';

@Injectable()
export class GetMessageStatusUseCase {
  constructor(private readonly statuses: MessageStatusRepository) {}

  /** A client sees only its own messages; another client's id reads as unknown, so ids cannot be probed. */
  async execute(messageId: string, client: string): Promise<MessageRecord> {
    // An id no caller could have chosen cannot name a message: answered like any unknown id, without a query.
    const record = isValidMessageId(messageId) ? await this.statuses.find(messageId) : undefined;
    if (!record || record.client !== client) {
      throw new ExchangeException(ExchangeErrorCode.MESSAGE_NOT_FOUND, `No message ${messageId}`);
    }
    const traceId = traceIdOfHistory(record);
    return traceId ? { ...record, traceId } : record;
  }
}

/** The OpenTelemetry trace of the message: named by the first event recorded while tracing was on. */
function traceIdOfHistory(record: MessageRecord): string | undefined {
  for (const event of record.history) {
    const traceId = event.detail?.traceId;
    if (typeof traceId === 'string') return traceId;
  }
  return undefined;
}
