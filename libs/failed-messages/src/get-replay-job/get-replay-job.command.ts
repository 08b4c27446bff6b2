import { InputReader } from '../command-input';
import { FailedMessagesException } from '../failed-messages.exception';
import { ReplayJobItemState } from '../replay-job';

const ITEM_STATES: readonly ReplayJobItemState[] = ['pending', 'sending', 'sent', 'skipped', 'failed', 'in-doubt', 'cancelled'];
const JOB_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function readJobId(value: unknown, problems: string[]): string {
  if (typeof value !== 'string' || !JOB_ID.test(value)) {
    problems.push('the job id must be a ULID');
    return '';
  }
  return value;
}

/** A job's progress; with `items`, also its messages in the given states (e.g. `in-doubt,skipped`). */
export class GetReplayJobCommand {
  private constructor(
    readonly jobId: string,
    readonly itemStates: ReplayJobItemState[] | undefined,
    readonly limit: number,
  ) {}

  static create(input: { jobId: unknown; query?: unknown }): GetReplayJobCommand {
    const query = new InputReader(input.query, 'the query');
    const jobId = readJobId(input.jobId, query.problems);
    const itemStates = query.list<ReplayJobItemState>('items', ITEM_STATES);
    const limit = query.integer('limit', 1, 1000) ?? 200;
    if (query.problems.length) throw FailedMessagesException.invalid(query.problems);
    return new GetReplayJobCommand(jobId, itemStates, limit);
  }
}
