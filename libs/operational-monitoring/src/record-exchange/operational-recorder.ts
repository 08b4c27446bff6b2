import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { newMessageId } from '@korpu/envelope';
import { CounterMetric, MetricsRegistry } from '@korpu/observability';
import { OperationalRecord, OperationalRecordInput } from '../operational-record';
import { OperationalRecordStore } from '../operational-record.repository';
import { buildOperationalRecord } from '../build-operational-record/operational-record.builder';
import { OPERATIONAL_MONITORING_OPTIONS, OperationalMonitoringOptions } from '../operational-monitoring.options';

/**
 * The port the exchange use cases write to: `record` never throws and never waits for the database, so an
 * operational record can neither slow down nor fail the exchange it describes.
 */
export abstract class OperationalRecorder {
  abstract record(input: OperationalRecordInput): void;
}

export type DropReason = 'write-failed' | 'queue-full';

/**
 * Gathers records in memory and writes them in batches (one multi-row INSERT per batch, one batch in flight):
 * at `batchSize` records at once, else `flushMs` after the first one waiting. A batch the database refuses is
 * logged and counted (`korpu_operational_records_dropped_total{reason="write-failed"}`), not retried: the
 * exchange itself is in Kafka, the message log and the status table either way. Past `maxQueued` waiting records,
 * new ones are dropped and counted (`queue-full`) rather than growing the heap. On shutdown the queue is flushed
 * (before the app's shutdown and in its last phase, the one in which StoreModule closes the pool).
 */
@Injectable()
export class BufferedOperationalRecorder extends OperationalRecorder implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('OperationalRecorder');
  /** Inputs as the exchanges handed them over: the record is built when its batch is written, off the hot path. */
  private queue: Array<{ input: OperationalRecordInput; at: Date }> = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly written?: CounterMetric;
  private readonly dropped?: CounterMetric<'reason'>;

  constructor(
    private readonly store: OperationalRecordStore,
    @Inject(OPERATIONAL_MONITORING_OPTIONS) private readonly options: Pick<OperationalMonitoringOptions, 'app' | 'instanceId' | 'batchSize' | 'flushMs' | 'maxQueued'>,
    @Optional() metrics?: MetricsRegistry,
  ) {
    super();
    this.written = metrics?.counter({ name: 'korpu_operational_records_written_total', help: 'Operational records written to the database' });
    this.dropped = metrics?.counter({
      name: 'korpu_operational_records_dropped_total',
      help: 'Operational records not written (write-failed: the database refused the batch; queue-full: too many waiting)',
      labelNames: ['reason'],
    });
  }

  record(input: OperationalRecordInput): void {
    if (this.queue.length >= this.options.maxQueued) {
      this.drop('queue-full', 1);
      return;
    }
    this.queue.push({ input, at: new Date() });
    if (this.queue.length >= this.options.batchSize) this.flushSoon(0);
    else this.flushSoon(this.options.flushMs);
  }

  /** Writes what is waiting now (and resolves when it is written or counted as dropped). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.queue.length === 0) return;
    this.flushing = this.writeAll().finally(() => {
      this.flushing = undefined;
    });
    await this.flushing;
  }

  /** While the consumers stop (their last handlers may still record), and again in the last phase before the pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  /** Records waiting to be written (for tests and the shutdown log). */
  get waiting(): number {
    return this.queue.length;
  }

  private flushSoon(delayMs: number): void {
    if (this.flushing) return; // the running flush takes whatever arrives meanwhile
    if (delayMs === 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      void this.flush();
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
    this.timer.unref();
  }

  private async writeAll(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.build(this.queue.splice(0, this.options.batchSize));
      if (batch.length === 0) continue;
      try {
        await this.store.insertBatch(batch);
        this.written?.inc({}, batch.length);
      } catch (error) {
        this.logger.warn(`${batch.length} operational record(s) not written: ${String(error)}`);
        this.drop('write-failed', batch.length);
      }
    }
  }

  private build(pending: Array<{ input: OperationalRecordInput; at: Date }>): OperationalRecord[] {
    const records: OperationalRecord[] = [];
    for (const { input, at } of pending) {
      try {
        records.push(buildOperationalRecord(input, { id: newMessageId(at.getTime()), app: this.options.app, instanceId: this.options.instanceId, now: at }));
      } catch (error) {
        // A record that cannot even be built is a bug here, never the exchange's problem.
        this.logger.warn(`Operational record of ${String(input?.messageId)} not built: ${String(error)}`);
        this.drop('write-failed', 1);
      }
    }
    return records;
  }

  private drop(reason: DropReason, count: number): void {
    this.dropped?.inc({ reason }, count);
  }
}
