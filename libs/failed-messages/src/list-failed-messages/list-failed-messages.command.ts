import type { RequestSchema } from '@korpu/errors';
import { FILTER_PROPERTIES, InputReader, readFilter } from '../command-input';
import { FailedMessageCursor, FailedMessageFilter, decodeCursor } from '../failed-message';
import { FailedMessagesException } from '../failed-messages.exception';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** The query of GET /v1/admin/failed-messages: validated here, published by the controller (ApiQueryFromSchema). */
export const LIST_FAILED_MESSAGES_QUERY: RequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...FILTER_PROPERTIES,
    limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, description: `Page size (default ${DEFAULT_PAGE_SIZE})` },
    cursor: { type: 'string', maxLength: 1000, description: 'nextCursor of the previous page' },
  },
};

/** A page of failed messages, newest failure first, from a query string. */
export class ListFailedMessagesCommand {
  private constructor(
    readonly filter: FailedMessageFilter,
    readonly limit: number,
    readonly after: FailedMessageCursor | undefined,
  ) {}

  static create(query: unknown): ListFailedMessagesCommand {
    const input = new InputReader(query, LIST_FAILED_MESSAGES_QUERY, 'the query');
    const filter = readFilter(input);
    const limit = input.integer('limit') ?? DEFAULT_PAGE_SIZE;
    const cursorText = input.string('cursor');
    const after = cursorText ? decodeCursor(cursorText) : undefined;
    if (cursorText && !after) input.problems.push('"cursor" is not one this API issued');
    if (input.problems.length) throw FailedMessagesException.invalid(input.problems);
    return new ListFailedMessagesCommand(filter, limit, after);
  }
}
