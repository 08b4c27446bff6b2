import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { AuditTrail, Clock } from '@korpu/operators';
import { CounterMetric, MetricsRegistry } from '@korpu/observability';
import { OperationalRecordStore } from '../operational-record.repository';
import { OPERATIONAL_MONITORING_OPTIONS, OperationalRetentionOptions } from '../operational-monitoring.options';

const DAY_MS = 86_400_000;

/** The audit trail's name for the retention purge of operational records, and who does it. */
export const PURGE_OPERATIONAL_RECORDS_ACTION = 'purge-operational-records';
export const RETENTION_OPERATOR = 'korpu-retention';

export interface OperationalPurgeResult {
  /** Exchanges accepted before this instant were purged. */
  cutoff: string;
  purged: number;
  batches: number;
}

/**
 * The retention of operational records: every record whose exchange began more than
 * OPERATIONAL_RECORDS_RETENTION_DAYS before now is deleted, OPERATIONAL_RECORDS_PURGE_BATCH rows per statement
 * (short statements: the writers are never blocked for long), until a batch comes back short. A run that deleted
 * records leaves one audit entry (how many, the cutoff, the retention); one that found nothing leaves none (it runs
 * every hour).
 */
@Injectable()
export class PurgeOperationalRecordsUseCase {
  private readonly purgedTotal?: CounterMetric;

  constructor(
    private readonly store: OperationalRecordStore,
    private readonly clock: Clock,
    @Inject(OPERATIONAL_MONITORING_OPTIONS) private readonly options: Pick<OperationalRetentionOptions, 'retentionDays' | 'purgeBatch'>,
    @Optional() metrics?: MetricsRegistry,
    @Optional() private readonly audit?: AuditTrail,
  ) {
    this.purgedTotal = metrics?.counter({ name: 'korpu_operational_records_purged_total', help: 'Operational records deleted by the retention purge' });
  }

  async execute(): Promise<OperationalPurgeResult> {
    const cutoff = new Date(this.clock.now().getTime() - this.options.retentionDays * DAY_MS);
    let purged = 0;
    let batches = 0;
    for (;;) {
      const deleted = await this.store.purgeOlderThan(cutoff, this.options.purgeBatch);
      batches += 1;
      purged += deleted;
      this.purgedTotal?.inc({}, deleted);
      if (deleted < this.options.purgeBatch) break;
    }
    const result = { cutoff: cutoff.toISOString(), purged, batches };
    if (purged > 0) {
      await this.audit?.record({
        operator: RETENTION_OPERATOR,
        action: PURGE_OPERATIONAL_RECORDS_ACTION,
        messageIds: [],
        at: this.clock.now(),
        detail: { ...result, retentionDays: this.options.retentionDays },
      });
    }
    return result;
  }
}

/** Runs the purge every OPERATIONAL_RECORDS_PURGE_INTERVAL_MS (the first a minute after boot); a failed run is logged and tried at the next tick. */
@Injectable()
export class OperationalRecordsPurgeSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OperationalRecordsPurge');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly purge: PurgeOperationalRecordsUseCase,
    @Inject(OPERATIONAL_MONITORING_OPTIONS) private readonly options: Pick<OperationalRetentionOptions, 'purgeIntervalMs'>,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.purgeIntervalMs === 0) return;
    const tick = (delayMs: number) => {
      this.timer = setTimeout(() => {
        this.running = this.runOnce().finally(() => {
          this.running = undefined;
          if (this.timer) tick(this.options.purgeIntervalMs);
        });
      }, delayMs);
      this.timer.unref();
    };
    tick(Math.min(60_000, this.options.purgeIntervalMs));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  async runOnce(): Promise<OperationalPurgeResult | undefined> {
    try {
      const result = await this.purge.execute();
      if (result.purged > 0) this.logger.log(`Purged ${result.purged} operational record(s) of exchanges before ${result.cutoff}`);
      return result;
    } catch (error) {
      this.logger.warn(`Operational records purge failed: ${String(error)}`);
      return undefined;
    }
  }
}
