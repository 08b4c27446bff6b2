import { readOperator } from '../command-input';
import { FailedMessagesException } from '../failed-messages.exception';

/** Who purges: an operator through the admin API, or the worker's schedule (`RETENTION_OPERATOR`). */
export const RETENTION_OPERATOR = 'korpu-retention';

/** Remove resolved, archived and discarded messages older than their retention period, leaving a trace of each. */
export class PurgeFailedMessagesCommand {
  private constructor(readonly operator: string) {}

  static create(input: { operator: unknown }): PurgeFailedMessagesCommand {
    const problems: string[] = [];
    const operator = readOperator(input.operator, problems);
    if (problems.length) throw FailedMessagesException.invalid(problems);
    return new PurgeFailedMessagesCommand(operator);
  }
}
