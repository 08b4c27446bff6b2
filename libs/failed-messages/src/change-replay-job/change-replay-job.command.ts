import type { RequestSchema } from '@korpu/errors';
import { InputReader, REASON_SCHEMA, bodySchema, readOperator, readPathParameter } from '../command-input';
import { FailedMessagesException } from '../failed-messages.exception';
import { readJobId } from '../get-replay-job/get-replay-job.command';

export type ReplayJobAction = 'pause' | 'resume' | 'cancel';
export const REPLAY_JOB_ACTIONS: readonly ReplayJobAction[] = ['pause', 'resume', 'cancel'];

/** The action in POST /v1/admin/replay-jobs/:jobId/:action. */
export const REPLAY_JOB_ACTION_PARAM_SCHEMA: RequestSchema = {
  type: 'string',
  enum: [...REPLAY_JOB_ACTIONS],
  description: `one of ${REPLAY_JOB_ACTIONS.join(', ')}`,
};

/** The body of a pause, resume or cancel. */
export const CHANGE_REPLAY_JOB_BODY: RequestSchema = bodySchema({ reason: REASON_SCHEMA });

/** Pause, resume or cancel a bulk-replay job; body { reason? }. */
export class ChangeReplayJobCommand {
  private constructor(
    readonly jobId: string,
    readonly action: ReplayJobAction,
    readonly operator: string,
    readonly reason: string | undefined,
  ) {}

  static create(input: { jobId: unknown; action: unknown; operator: unknown; body?: unknown }): ChangeReplayJobCommand {
    const body = new InputReader(input.body, CHANGE_REPLAY_JOB_BODY);
    const problems = body.problems;
    const jobId = readJobId(input.jobId, problems);
    const operator = readOperator(input.operator, problems);
    const action = readPathParameter('action', REPLAY_JOB_ACTION_PARAM_SCHEMA, input.action, problems) as ReplayJobAction;
    const reason = body.reason();
    if (problems.length) throw FailedMessagesException.invalid(problems);
    return new ChangeReplayJobCommand(jobId, action, operator, reason);
  }
}
