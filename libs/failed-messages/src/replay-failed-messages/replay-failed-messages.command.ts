import type { RequestSchema } from '@korpu/errors';
import { FILTER_SCHEMA, InputReader, REASON_SCHEMA, bodySchema, readFilter, readOperator } from '../command-input';
import { FailedMessageFilter } from '../failed-message';
import { FailedMessagesException } from '../failed-messages.exception';

/** The body of POST /v1/admin/failed-messages/replay. */
export const REPLAY_FAILED_MESSAGES_BODY: RequestSchema = bodySchema(
  {
    filter: { ...FILTER_SCHEMA, description: 'Which messages, e.g. {"fingerprint": "..."}; {"status": "unresolved"} for everything unresolved' },
    limit: { type: 'integer', minimum: 1, maximum: 10_000, description: 'At most this many (default: the configured cap)' },
    force: { type: 'boolean', description: 'Send even messages whose reply is already recorded; needs a reason' },
    reason: REASON_SCHEMA,
    dryRun: { type: 'boolean', description: 'Only say what would be replayed' },
  },
  ['filter'],
);

/**
 * Replay every failed message that matches a filter (e.g. one fingerprint), oldest first, at most `limit`.
 * Without `status` in the filter only unresolved messages are replayed.
 */
export class ReplayFailedMessagesCommand {
  private constructor(
    readonly operator: string,
    readonly filter: FailedMessageFilter,
    /** How many to replay at most; undefined: the configured cap. */
    readonly limit: number | undefined,
    readonly force: boolean,
    readonly reason: string | undefined,
    /** Only say what would be replayed. */
    readonly dryRun: boolean,
  ) {}

  static create(input: { operator: unknown; body: unknown }): ReplayFailedMessagesCommand {
    const body = new InputReader(input.body, REPLAY_FAILED_MESSAGES_BODY);
    const problems = body.problems;
    const operator = readOperator(input.operator, problems);
    const filter = readFilter(InputReader.ofValidated(body.raw('filter'), problems));
    if (!filter.status) filter.status = ['unresolved'];
    const limit = body.integer('limit');
    const force = body.boolean('force') ?? false;
    const reason = body.reason();
    if (force && !reason) problems.push('a forced replay needs a "reason"');
    const dryRun = body.boolean('dryRun') ?? false;
    if (problems.length) throw FailedMessagesException.invalid(problems);
    return new ReplayFailedMessagesCommand(operator, filter, limit, force, reason, dryRun);
  }
}
