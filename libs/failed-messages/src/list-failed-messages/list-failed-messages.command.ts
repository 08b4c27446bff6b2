import { InputReader, readFilter } from '../command-input';
import { FailedMessageCursor, FailedMessageFilter, decodeCursor } from '../failed-message';
import { FailedMessagesException } from '../failed-messages.exception';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** A page of failed messages, newest failure first, from a query string. */
export class ListFailedMessagesCommand {
  private constructor(
    readonly filter: FailedMessageFilter,
    readonly limit: number,
    readonly after: FailedMessageCursor | undefined,
  ) {}

  static create(query: unknown): ListFailedMessagesCommand {
    const input = new InputReader(query, 'the query');
    const filter = readFilter(input);
    const limit = input.integer('limit', 1, MAX_PAGE_SIZE) ?? DEFAULT_PAGE_SIZE;
    const cursorText = input.string('cursor', { max: 1000 });
    const after = cursorText ? decodeCursor(cursorText) : undefined;
    if (cursorText && !after) input.problems.push('"cursor" is not one this API issued');
    if (input.problems.length) throw FailedMessagesException.invalid(input.problems);
    return new ListFailedMessagesCommand(filter, limit, after);
  }
}
