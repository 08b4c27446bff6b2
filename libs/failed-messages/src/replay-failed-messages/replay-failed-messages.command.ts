import { InputReader, readFilter, readOperator } from '../command-input';
import { FailedMessageFilter } from '../failed-message';
import { FailedMessagesException } from '../failed-messages.exception';

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
    const body = new InputReader(input.body);
    const problems = body.problems;
    const operator = readOperator(input.operator, problems);
    const filterInput = new InputReader(body.raw('filter'), '"filter"');
    const filter = readFilter(filterInput);
    problems.push(...filterInput.problems);
    if (!body.has('filter')) problems.push('"filter" is required (e.g. {"fingerprint": "..."}); use {"status": "unresolved"} to replay everything unresolved');
    if (!filter.status) filter.status = ['unresolved'];
    const limit = body.integer('limit', 1, 10_000);
    const force = body.boolean('force') ?? false;
    const reason = body.reason();
    if (force && !reason) problems.push('a forced replay needs a "reason"');
    const dryRun = body.boolean('dryRun') ?? false;
    if (problems.length) throw FailedMessagesException.invalid(problems);
    return new ReplayFailedMessagesCommand(operator, filter, limit, force, reason, dryRun);
  }
}
