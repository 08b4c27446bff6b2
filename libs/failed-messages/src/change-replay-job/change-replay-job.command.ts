import { InputReader, readOperator } from '../command-input';
import { FailedMessagesException } from '../failed-messages.exception';
import { readJobId } from '../get-replay-job/get-replay-job.command';

export type ReplayJobAction = 'pause' | 'resume' | 'cancel';
export const REPLAY_JOB_ACTIONS: readonly ReplayJobAction[] = ['pause', 'resume', 'cancel'];

/** Pause, resume or cancel a bulk-replay job; body { reason? }. */
export class ChangeReplayJobCommand {
  private constructor(
    readonly jobId: string,
    readonly action: ReplayJobAction,
    readonly operator: string,
    readonly reason: string | undefined,
  ) {}

  static create(input: { jobId: unknown; action: unknown; operator: unknown; body?: unknown }): ChangeReplayJobCommand {
    const body = new InputReader(input.body);
    const problems = body.problems;
    const jobId = readJobId(input.jobId, problems);
    const operator = readOperator(input.operator, problems);
    if (!REPLAY_JOB_ACTIONS.includes(input.action as ReplayJobAction)) problems.push(`the action must be one of ${REPLAY_JOB_ACTIONS.join(', ')}`);
    const reason = body.reason();
    if (problems.length) throw FailedMessagesException.invalid(problems);
    return new ChangeReplayJobCommand(jobId, input.action as ReplayJobAction, operator, reason);
  }
}
