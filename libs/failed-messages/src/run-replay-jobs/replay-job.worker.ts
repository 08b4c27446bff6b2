import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { FAILED_MESSAGES_OPTIONS, FailedMessagesOptions, ReplayJobOptions } from '../failed-messages.options';
import { replayJobOptionsOf } from '../failed-messages.config';
import { PurgeFailedMessagesCommand, RETENTION_OPERATOR } from '../purge-failed-messages/purge-failed-messages.command';
import { PurgeFailedMessagesUseCase } from '../purge-failed-messages/purge-failed-messages.usecase';
import { FailedMessageReplayer } from '../replay-failed-message/failed-message-replayer';
import { ReplayJob } from '../replay-job';
import { ItemOutcome, ReplayJobRepository } from '../replay-job.repository';
import { PartnerRateLimiter } from './partner-rate-limiter';

/** What one step of the worker did, and how long it may sleep before the next. */
export interface WorkerStep {
  jobId?: string;
  published: number;
  /** Milliseconds until a partner of the job may be sent more (rate limit), or until Kafka is tried again. */
  waitMs?: number;
}

/** How long to wait after Kafka refused a batch before trying again. */
const KAFKA_BACKOFF_MS = 2000;

/**
 * Executes bulk-replay jobs: leases the oldest runnable job, then, partner by partner as each partner's rate
 * allows, claims a batch of its items (only while the job runs and the lease is ours), publishes them and records
 * each outcome. A job whose worker died is taken over when the lease expires; what that worker was publishing is
 * marked in doubt, never published twice. Also runs the retention purge on its schedule.
 */
@Injectable()
export class ReplayJobWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReplayJobWorker.name);
  private readonly options: ReplayJobOptions;
  private readonly limiter: PartnerRateLimiter;
  private loop?: Promise<void>;
  private stopping = false;
  private wake?: () => void;
  private lastPurge = 0;
  private currentJob?: string;
  /** Jobs of which a batch failed half-way in this process (e.g. the database went away): its items are in doubt. */
  private readonly interrupted = new Set<string>();

  constructor(
    private readonly jobs: ReplayJobRepository,
    private readonly replayer: FailedMessageReplayer,
    private readonly purge: PurgeFailedMessagesUseCase,
    @Inject(FAILED_MESSAGES_OPTIONS) options: Pick<FailedMessagesOptions, 'jobs'>,
  ) {
    this.options = replayJobOptionsOf(options);
    this.limiter = new PartnerRateLimiter(this.options, this.options.batchSize);
  }

  onApplicationBootstrap(): void {
    if (!this.options.worker) return;
    this.logger.log(`Replay worker ${this.options.owner} started (batch ${this.options.batchSize}, default ${this.options.defaultRate}/s per partner)`);
    this.lastPurge = Date.now() - this.options.purgeIntervalMs + 60_000; // first purge a minute after boot
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    if (this.currentJob) await this.jobs.releaseLease(this.currentJob, this.options.owner).catch(() => undefined);
  }

  /** One step: lease a job and publish what the partners' rates allow now. */
  async step(): Promise<WorkerStep> {
    const leased = await this.jobs.lease(this.options.owner, this.options.leaseMs);
    if (!leased) {
      this.currentJob = undefined;
      return { published: 0 };
    }
    const { job } = leased;
    this.currentJob = job.id;
    if (this.interrupted.delete(job.id)) {
      const inDoubt = await this.jobs.markInDoubt(job.id, this.options.owner);
      if (inDoubt) this.logger.warn(`${inDoubt} message(s) of replay job ${job.id} were being published when a batch failed; they are in doubt`);
    }
    if (leased.takenOverFrom) {
      const inDoubt = await this.jobs.markInDoubt(job.id, leased.takenOverFrom);
      this.logger.warn(`Took over replay job ${job.id} from ${leased.takenOverFrom}${inDoubt ? `; ${inDoubt} message(s) it was publishing are in doubt` : ''}`);
    }
    let published = 0;
    let pendingSeen = false;
    let waitMs: number | undefined;
    for (const { partner } of job.partners) {
      if (this.stopping) break;
      const available = this.limiter.available(partner);
      if (available < 1) {
        pendingSeen = true; // maybe: the next step finds out
        waitMs = Math.min(waitMs ?? Infinity, this.limiter.waitMs(partner));
        continue;
      }
      const items = await this.jobs.nextItems(job.id, partner, Math.min(available, this.options.batchSize));
      if (items.length === 0) continue;
      pendingSeen = true;
      const result = await this.publish(job, partner, items.map((item) => item.seq));
      published += result.published;
      if (result.refused) return { jobId: job.id, published, waitMs: KAFKA_BACKOFF_MS };
      if (result.lost) return { jobId: job.id, published };
    }
    if (!pendingSeen && (await this.jobs.completeIfDone(job.id))) {
      this.logger.log(`Replay job ${job.id} completed`);
      this.currentJob = undefined;
    }
    return { jobId: job.id, published, ...(published === 0 && waitMs !== undefined ? { waitMs } : {}) };
  }

  private async publish(job: ReplayJob, partner: string, seqs: number[]): Promise<{ published: number; refused?: boolean; lost?: boolean }> {
    const claimed = await this.jobs.claimItems(job.id, this.options.owner, this.options.leaseMs, seqs);
    if (claimed.length === 0) return { published: 0, lost: true }; // paused, cancelled, or the lease went to another worker
    this.limiter.take(partner, claimed.length);
    this.interrupted.add(job.id); // until the outcomes are recorded
    const outcomes = await this.replayer.replayBatch(
      claimed.map((item) => item.messageId),
      { replayId: job.id, operator: job.createdBy, force: job.force, reason: job.reason ?? undefined, at: new Date() },
    );
    const seqOf = new Map(claimed.map((item) => [item.messageId, item.seq]));
    const recorded: ItemOutcome[] = outcomes.map((outcome) => {
      const seq = seqOf.get(outcome.messageId) as number;
      if (outcome.state === 'sent') return { seq, state: 'sent' };
      if (outcome.state === 'unsent') return { seq, state: 'pending', detail: outcome.detail };
      return { seq, state: 'skipped', detail: outcome.detail };
    });
    await this.jobs.finishItems(job.id, recorded);
    this.interrupted.delete(job.id);
    return { published: recorded.filter((o) => o.state === 'sent').length, refused: outcomes.some((o) => o.state === 'unsent') };
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let sleepMs = this.options.pollMs;
      try {
        await this.purgeIfDue();
        const step = await this.step();
        if (step.published > 0 && step.waitMs === undefined) sleepMs = 0;
        else if (step.waitMs !== undefined) sleepMs = Math.min(step.waitMs, this.options.pollMs);
      } catch (error) {
        this.logger.error(`Replay worker step failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (sleepMs > 0 && !this.stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, sleepMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  private async purgeIfDue(): Promise<void> {
    if (this.options.purgeIntervalMs === 0 || Date.now() - this.lastPurge < this.options.purgeIntervalMs) return;
    this.lastPurge = Date.now();
    const result = await this.purge.execute(PurgeFailedMessagesCommand.create({ operator: RETENTION_OPERATOR }));
    if (result.purged > 0) this.logger.log(`Retention purge ${result.runId} removed ${result.purged} closed failed message(s)`);
  }
}
