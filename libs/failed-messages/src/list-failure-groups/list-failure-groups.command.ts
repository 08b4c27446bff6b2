import { InputReader, readFilter } from '../command-input';
import { FailedMessageFilter, FailureGroupBy } from '../failed-message';
import { FailedMessagesException } from '../failed-messages.exception';

/** Counts of failed messages by cause (fingerprint) or by service, from a query string. */
export class ListFailureGroupsCommand {
  private constructor(
    readonly by: FailureGroupBy,
    readonly filter: FailedMessageFilter,
    readonly limit: number,
  ) {}

  static create(query: unknown): ListFailureGroupsCommand {
    const input = new InputReader(query, 'the query');
    const [by] = input.list<FailureGroupBy>('by', ['fingerprint', 'service']) ?? ['fingerprint'];
    const filter = readFilter(input);
    const limit = input.integer('limit', 1, 1000) ?? 100;
    if (input.problems.length) throw FailedMessagesException.invalid(input.problems);
    return new ListFailureGroupsCommand(by, filter, limit);
  }
}
