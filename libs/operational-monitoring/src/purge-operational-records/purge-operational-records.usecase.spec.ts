import { AuditEntryInput, AuditTrail, Clock } from '@korpu/operators';
import { OperationalRecord } from '../operational-record';
import { OperationalRecordStore } from '../operational-record.repository';
import { OperationalRecordsPurgeSchedule, PurgeOperationalRecordsUseCase } from './purge-operational-records.usecase';

class FixedClock extends Clock {
  constructor(private at: Date) {
    super();
  }
  now(): Date {
    return this.at;
  }
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

/** Records by their start only: enough to see what the purge deletes, batch by batch. */
class FakeStore extends OperationalRecordStore {
  starts: Date[] = [];
  calls: Array<{ before: string; limit: number }> = [];
  async insertBatch(): Promise<void> {}
  async list(): Promise<OperationalRecord[]> {
    return [];
  }
  async summarize() {
    return { buckets: [], totals: [] };
  }
  async purgeOlderThan(before: Date, limit: number): Promise<number> {
    this.calls.push({ before: before.toISOString(), limit });
    const old = this.starts.filter((at) => at < before).slice(0, limit);
    this.starts = this.starts.filter((at) => !old.includes(at));
    return old.length;
  }
}

const DAY = 86_400_000;

describe('the retention purge of operational records', () => {
  function setUp(retentionDays: number, purgeBatch: number) {
    const clock = new FixedClock(new Date('2026-12-31T12:00:00.000Z'));
    const store = new FakeStore();
    const audited: AuditEntryInput[] = [];
    const audit = { record: async (entry: AuditEntryInput) => void audited.push(entry) } as unknown as AuditTrail;
    const purge = new PurgeOperationalRecordsUseCase(store, clock, { retentionDays, purgeBatch }, undefined, audit);
    return { clock, store, purge, audited };
  }

  it('leaves one audit entry for a run that deleted records, none for a run that found nothing', async () => {
    const { clock, store, purge, audited } = setUp(30, 100);
    expect((await purge.execute()).purged).toBe(0);
    expect(audited).toEqual([]);
    store.starts = [40, 41, 42].map((days) => new Date(clock.now().getTime() - days * DAY));
    await purge.execute();
    expect(audited).toEqual([
      {
        operator: 'korpu-retention',
        action: 'purge-operational-records',
        messageIds: [],
        at: clock.now(),
        detail: { cutoff: '2026-12-01T12:00:00.000Z', purged: 3, batches: 1, retentionDays: 30 },
      },
    ]);
  });

  it('deletes exactly the records older than the retention period, in batches until one comes back short', async () => {
    const { clock, store, purge } = setUp(30, 2);
    const now = clock.now().getTime();
    store.starts = [31, 30.5, 30.01, 29.99, 1].map((days) => new Date(now - days * DAY));
    const result = await purge.execute();
    expect(result).toEqual({ cutoff: '2026-12-01T12:00:00.000Z', purged: 3, batches: 2 });
    expect(store.calls).toEqual([
      { before: '2026-12-01T12:00:00.000Z', limit: 2 },
      { before: '2026-12-01T12:00:00.000Z', limit: 2 },
    ]);
    expect(store.starts.map((at) => (now - at.getTime()) / DAY)).toEqual([29.99, 1]);
  });

  it('moves its cutoff with the clock: a record kept today is purged once it is past the period', async () => {
    const { clock, store, purge } = setUp(7, 100);
    store.starts = [new Date(clock.now().getTime() - 6 * DAY)];
    expect((await purge.execute()).purged).toBe(0);
    clock.advance(DAY + 1);
    expect((await purge.execute()).purged).toBe(1);
    expect(store.starts).toEqual([]);
  });

  it('asks once when nothing is old enough, and a full last batch is followed by one more look', async () => {
    const { clock, store, purge } = setUp(30, 2);
    expect(await purge.execute()).toMatchObject({ purged: 0, batches: 1 });
    store.calls = [];
    store.starts = [40, 41].map((days) => new Date(clock.now().getTime() - days * DAY));
    expect(await purge.execute()).toMatchObject({ purged: 2, batches: 2 });
  });

  it('a failed scheduled run is logged and does not stop the schedule', async () => {
    const failing = { execute: async () => Promise.reject(new Error('database down')) } as unknown as PurgeOperationalRecordsUseCase;
    const schedule = new OperationalRecordsPurgeSchedule(failing, { purgeIntervalMs: 0 });
    await expect(schedule.runOnce()).resolves.toBeUndefined();
  });
});
