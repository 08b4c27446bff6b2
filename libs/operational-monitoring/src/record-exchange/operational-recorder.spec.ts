import { MetricsRegistry } from '@korpu/observability';
import { OperationalRecord, OperationalRecordCursor, OperationalRecordFilter, OperationalRecordInput } from '../operational-record';
import { OperationalRecordStore } from '../operational-record.repository';
import { BufferedOperationalRecorder } from './operational-recorder';

class FakeStore extends OperationalRecordStore {
  readonly batches: OperationalRecord[][] = [];
  failNext = 0;
  async insertBatch(records: readonly OperationalRecord[]): Promise<void> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('database down');
    }
    this.batches.push([...records]);
  }
  async list(_filter: OperationalRecordFilter, _limit: number, _after?: OperationalRecordCursor): Promise<OperationalRecord[]> {
    return [];
  }
  async purgeOlderThan(): Promise<number> {
    return 0;
  }
  async summarize() {
    return { buckets: [], totals: [] };
  }
}

const input = (messageId: string): OperationalRecordInput => ({
  direction: 'outbound',
  client: 'MLSP/pensions',
  service: 'tax-service/GetTaxpayer',
  messageId,
  correlationId: messageId,
  attempt: 1,
  requestSize: 10,
  hops: { requestInAt: new Date().toISOString() },
  result: 'succeeded',
});

function setUp(options: { batchSize?: number; flushMs?: number; maxQueued?: number } = {}) {
  const store = new FakeStore();
  const metrics = new MetricsRegistry();
  const recorder = new BufferedOperationalRecorder(
    store,
    { app: 'dispatcher', instanceId: 'unit-1', batchSize: options.batchSize ?? 3, flushMs: options.flushMs ?? 60_000, maxQueued: options.maxQueued ?? 100 },
    metrics,
  );
  return { store, metrics, recorder };
}

describe('BufferedOperationalRecorder', () => {
  it('writes a full batch at once without waiting for flushMs, at most batchSize records per insert', async () => {
    const { store, recorder } = setUp({ batchSize: 3 });
    recorder.record(input('a'));
    recorder.record(input('b'));
    expect(store.batches).toHaveLength(0);
    recorder.record(input('c'));
    recorder.record(input('d'));
    await recorder.flush();
    expect(recorder.waiting).toBe(0);
    expect(store.batches.map((batch) => batch.map((r) => r.messageId))).toEqual([['a', 'b', 'c'], ['d']]);
    expect(store.batches[0][0]).toMatchObject({ app: 'dispatcher', instanceId: 'unit-1', partner: 'tax-service', operation: 'GetTaxpayer' });
  });

  it('writes a lone record after flushMs without anyone waiting for it', async () => {
    const { store, recorder } = setUp({ batchSize: 100, flushMs: 5 });
    recorder.record(input('alone'));
    expect(store.batches).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(store.batches.flat().map((r) => r.messageId)).toEqual(['alone']);
  });

  it('never throws to the exchange when the database refuses a batch: the batch is counted as dropped and the next one written', async () => {
    const { store, metrics, recorder } = setUp({ batchSize: 2 });
    store.failNext = 1;
    expect(() => {
      recorder.record(input('lost-1'));
      recorder.record(input('lost-2'));
    }).not.toThrow();
    await recorder.flush();
    recorder.record(input('kept'));
    await recorder.flush();
    expect(store.batches.flat().map((r) => r.messageId)).toEqual(['kept']);
    const text = await metrics.render();
    expect(text).toContain('korpu_operational_records_dropped_total{reason="write-failed"} 2');
    expect(text).toContain('korpu_operational_records_written_total 1');
  });

  it('drops and counts records beyond maxQueued instead of growing without bound', async () => {
    const { metrics, recorder } = setUp({ batchSize: 1000, maxQueued: 2 });
    for (const id of ['a', 'b', 'c']) recorder.record(input(id));
    expect(recorder.waiting).toBe(2);
    expect(await metrics.render()).toContain('korpu_operational_records_dropped_total{reason="queue-full"} 1');
  });

  it('writes what is waiting when the app shuts down', async () => {
    const { store, recorder } = setUp({ batchSize: 100 });
    recorder.record(input('last'));
    await recorder.onApplicationShutdown();
    expect(store.batches.flat().map((r) => r.messageId)).toEqual(['last']);
  });
});
