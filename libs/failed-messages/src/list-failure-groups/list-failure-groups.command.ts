import type { RequestSchema } from '@korpu/errors';
import { FILTER_PROPERTIES, InputReader, readFilter } from '../command-input';
import { FailedMessageFilter, FailureGroupBy } from '../failed-message';
import { FailedMessagesException } from '../failed-messages.exception';

/** The query of GET /v1/admin/failed-messages/groups. */
export const LIST_FAILURE_GROUPS_QUERY: RequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    by: { type: 'string', enum: ['fingerprint', 'service'], description: 'Group by cause (fingerprint, default) or by service' },
    ...FILTER_PROPERTIES,
    limit: { type: 'integer', minimum: 1, maximum: 1000, description: 'How many groups (default 100)' },
  },
};

/** Counts of failed messages by cause (fingerprint) or by service, from a query string. */
export class ListFailureGroupsCommand {
  private constructor(
    readonly by: FailureGroupBy,
    readonly filter: FailedMessageFilter,
    readonly limit: number,
  ) {}

  static create(query: unknown): ListFailureGroupsCommand {
    const input = new InputReader(query, LIST_FAILURE_GROUPS_QUERY, 'the query');
    const by = (input.string('by') as FailureGroupBy | undefined) ?? 'fingerprint';
    const filter = readFilter(input);
    const limit = input.integer('limit') ?? 100;
    if (input.problems.length) throw FailedMessagesException.invalid(input.problems);
    return new ListFailureGroupsCommand(by, filter, limit);
  }
}
