import { Inject, Injectable } from '@nestjs/common';
import { newMessageId } from '@korpu/envelope';
import { AuditTrail, OperatorAction } from '../audit/audit-trail.repository';
import { Clock } from '../clock';
import { replayJobOptionsOf } from '../failed-messages.config';
import { FAILED_MESSAGES_OPTIONS, FailedMessagesOptions, ReplayJobOptions } from '../failed-messages.options';
import { REPLAYABLE_FROM } from '../replay-failed-message/failed-message-replayer';
import { ReplayJobProgress, selectionFilter, selectionForDisplay } from '../replay-job';
import { ReplayJobRepository } from '../replay-job.repository';
import { CreateReplayJobCommand } from './create-replay-job.command';

export interface ReplayJobPreview {
  preview: true;
  /** Replayable messages the selection matches. */
  matched: number;
  /** Of those, already pending in another job (left to it). */
  alreadyQueued: number;
  /** Per partner: how many, the configured rate, and how long that takes at the rate. */
  partners: Array<{ partner: string; count: number; ratePerSecond: number; seconds: number }>;
  /** The slowest partner's time: the job's least duration. */
  estimatedSeconds: number;
  selection: Record<string, unknown>;
}

/** Previews or creates a bulk-replay job; creating is audited (one entry: the job id, the selection, the count). */
@Injectable()
export class CreateReplayJobUseCase {
  private readonly options: ReplayJobOptions;

  constructor(
    private readonly jobs: ReplayJobRepository,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    @Inject(FAILED_MESSAGES_OPTIONS) options: Pick<FailedMessagesOptions, 'jobs'>,
  ) {
    this.options = replayJobOptionsOf(options);
  }

  async execute(command: CreateReplayJobCommand): Promise<ReplayJobPreview | ReplayJobProgress> {
    const filter = selectionFilter(command.selection, REPLAYABLE_FROM);
    const selection = selectionForDisplay(command.selection);
    if (command.preview) {
      const found = await this.jobs.preview(filter);
      const partners = found.partners.map(({ partner, count }) => {
        const ratePerSecond = this.options.ratePerPartner[partner] ?? this.options.defaultRate;
        return { partner, count, ratePerSecond, seconds: Math.ceil(count / ratePerSecond) };
      });
      return {
        preview: true,
        matched: found.matched,
        alreadyQueued: found.alreadyQueued,
        partners,
        estimatedSeconds: Math.max(0, ...partners.map((p) => p.seconds)),
        selection,
      };
    }
    const at = this.clock.now();
    const id = newMessageId(at.getTime());
    const job = await this.jobs.create({ id, createdBy: command.operator, at, reason: command.reason, force: command.force, selection }, filter);
    await this.audit.record({
      operator: command.operator,
      action: OperatorAction.REPLAY_JOB_CREATE,
      messageIds: 'ids' in command.selection ? command.selection.ids : [],
      at,
      reason: command.reason,
      detail: { jobId: id, selection, force: command.force, total: job.total, partners: job.partners },
    });
    return (await this.jobs.progress(id)) as ReplayJobProgress;
  }
}
