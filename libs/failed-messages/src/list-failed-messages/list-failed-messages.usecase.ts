import { Injectable } from '@nestjs/common';
import { FailedMessagePage, encodeCursor } from '../failed-message';
import { FailedMessageRepository } from '../failed-message.repository';
import { ListFailedMessagesCommand } from './list-failed-messages.command';

/** Searches failed messages (filters, keyset paging). Summaries only: payloads are read one message at a time (audited). */
@Injectable()
export class ListFailedMessagesUseCase {
  constructor(private readonly messages: FailedMessageRepository) {}

  async execute(command: ListFailedMessagesCommand): Promise<FailedMessagePage> {
    const rows = await this.messages.search(command.filter, { limit: command.limit + 1, after: command.after });
    const items = rows.slice(0, command.limit);
    const last = items[items.length - 1];
    return {
      items,
      ...(rows.length > command.limit && last ? { nextCursor: encodeCursor({ lastFailedAt: last.lastFailedAt, messageId: last.messageId }) } : {}),
    };
  }
}
