import { Injectable } from '@nestjs/common';
import { AuditTrail, OperatorAction } from '../audit/audit-trail.repository';
import { Clock } from '../clock';
import { FailedMessagesErrorCode } from '../failed-messages-error-code';
import { FailedMessagesException } from '../failed-messages.exception';
import { jobNotFound } from '../get-replay-job/get-replay-job.usecase';
import { ReplayJobProgress, ReplayJobState } from '../replay-job';
import { ReplayJobRepository } from '../replay-job.repository';
import { ChangeReplayJobCommand, ReplayJobAction } from './change-replay-job.command';

const TRANSITIONS: Record<ReplayJobAction, { to: 'running' | 'paused' | 'cancelled'; from: ReplayJobState[]; audit: OperatorAction }> = {
  pause: { to: 'paused', from: ['running'], audit: OperatorAction.REPLAY_JOB_PAUSE },
  resume: { to: 'running', from: ['paused'], audit: OperatorAction.REPLAY_JOB_RESUME },
  cancel: { to: 'cancelled', from: ['running', 'paused'], audit: OperatorAction.REPLAY_JOB_CANCEL },
};

/**
 * Pauses (the worker finishes the batch in hand and claims no more), resumes, or cancels (pending messages are
 * released) a job. Doing what is already done (pausing a paused job) changes nothing and is not audited.
 */
@Injectable()
export class ChangeReplayJobUseCase {
  constructor(
    private readonly jobs: ReplayJobRepository,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async execute(command: ChangeReplayJobCommand): Promise<ReplayJobProgress> {
    const transition = TRANSITIONS[command.action];
    const at = this.clock.now();
    const result = await this.jobs.changeState(command.jobId, transition.to, transition.from, { operator: command.operator, at });
    if (!result.job) throw jobNotFound(command.jobId);
    if (!result.changed && result.job.state !== transition.to) {
      throw new FailedMessagesException(
        FailedMessagesErrorCode.JOB_STATE_CONFLICT,
        `Replay job ${command.jobId} is ${result.job.state}; it can be ${command.action === 'pause' ? 'paused' : command.action === 'resume' ? 'resumed' : 'cancelled'} when ${transition.from.join(' or ')}`,
        { currentState: result.job.state },
      );
    }
    if (result.changed) {
      await this.audit.record({
        operator: command.operator,
        action: transition.audit,
        messageIds: [],
        at,
        reason: command.reason,
        detail: { jobId: command.jobId, previousState: result.previous, state: transition.to },
      });
    }
    return (await this.jobs.progress(command.jobId)) as ReplayJobProgress;
  }
}
