import type { RequestSchema } from '@korpu/errors';
import { InputReader, listOf, readPathParameter } from '../command-input';
import { FailedMessagesException } from '../failed-messages.exception';
import { ReplayJobItemState } from '../replay-job';

const ITEM_STATES: readonly ReplayJobItemState[] = ['pending', 'sending', 'sent', 'skipped', 'failed', 'in-doubt', 'cancelled'];

/** A job id in a path. */
export const JOB_ID_PARAM_SCHEMA: RequestSchema = { type: 'string', pattern: '^[0-9A-HJKMNP-TV-Z]{26}$', description: 'a ULID' };

/** The query of GET /v1/admin/replay-jobs/:jobId. */
export const GET_REPLAY_JOB_QUERY: RequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    items: listOf(ITEM_STATES, 'Also list the job\'s messages in these states'),
    limit: { type: 'integer', minimum: 1, maximum: 1000, description: 'How many of those messages (default 200)' },
  },
};

export function readJobId(value: unknown, problems: string[]): string {
  return readPathParameter('job id', JOB_ID_PARAM_SCHEMA, value, problems);
}

/** A job's progress; with `items`, also its messages in the given states (e.g. `in-doubt,skipped`). */
export class GetReplayJobCommand {
  private constructor(
    readonly jobId: string,
    readonly itemStates: ReplayJobItemState[] | undefined,
    readonly limit: number,
  ) {}

  static create(input: { jobId: unknown; query?: unknown }): GetReplayJobCommand {
    const query = new InputReader(input.query, GET_REPLAY_JOB_QUERY, 'the query');
    const jobId = readJobId(input.jobId, query.problems);
    const itemStates = query.list<ReplayJobItemState>('items');
    const limit = query.integer('limit') ?? 200;
    if (query.problems.length) throw FailedMessagesException.invalid(query.problems);
    return new GetReplayJobCommand(jobId, itemStates, limit);
  }
}
