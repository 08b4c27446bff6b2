import { loadMigrations, MigrationRunner, PgDatabase } from '@korpu/store';
import { Clock } from '@korpu/operators';
import { createTestDatabase, TestDatabase } from '@korpu/testing';
import { buildOperationalRecord } from './build-operational-record/operational-record.builder';
import { ListOperationalRecordsCommand } from './list-operational-records/list-operational-records.command';
import { ListOperationalRecordsUseCase } from './list-operational-records/list-operational-records.usecase';
import { OperationalRecord, OperationalRecordInput } from './operational-record';
import { PgOperationalRecordStore } from './operational-record.repository';
import { OPERATIONAL_MONITORING_MIGRATIONS } from './operational-monitoring.module';
import { PurgeOperationalRecordsUseCase } from './purge-operational-records/purge-operational-records.usecase';
import { BufferedOperationalRecorder } from './record-exchange/operational-recorder';
import { SummarizeExchangesCommand } from './summarize-exchanges/summarize-exchanges.command';
import { SummarizeExchangesUseCase } from './summarize-exchanges/summarize-exchanges.usecase';

let testDb: TestDatabase;
let db: PgDatabase;
let store: PgOperationalRecordStore;

beforeAll(async () => {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set: run through the integration project (global set-up)');
  testDb = await createTestDatabase(base);
  db = new PgDatabase({ url: testDb.url, poolSize: 4 });
  await new MigrationRunner(db).run(loadMigrations([OPERATIONAL_MONITORING_MIGRATIONS]));
  store = new PgOperationalRecordStore(db);
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

let seq = 0;
/** A record of its own (ids unique per test), `minutes` after a fixed start. */
function record(tag: string, minutes: number, over: Partial<OperationalRecordInput> = {}): OperationalRecord {
  seq += 1;
  const start = new Date(Date.UTC(2026, 11, 2, 10, 0, 0) + minutes * 60_000);
  return buildOperationalRecord(
    {
      direction: 'outbound',
      client: 'MLSP/pensions',
      service: 'tax-service/GetTaxpayer',
      messageId: `${tag}-m${seq}`,
      correlationId: `${tag}-c`,
      messageType: 'taxpayer-lookup-request',
      attempt: 1,
      requestSize: 21,
      responseSize: 40,
      hops: {
        requestInAt: start.toISOString(),
        requestQueuedAt: new Date(start.getTime() + 5).toISOString(),
        requestPickedAt: new Date(start.getTime() + 20).toISOString(),
        requestOutAt: new Date(start.getTime() + 25).toISOString(),
        responseInAt: new Date(start.getTime() + 325).toISOString(),
        responseOutAt: new Date(start.getTime() + 340).toISOString(),
      },
      result: 'succeeded',
      signer: { subject: 'C=AZ, O=Tax Service, CN=tax-service-rsa', serialNumber: '1A2B', issuer: 'CN=Korpu Dev Intermediate CA' },
      ...over,
    },
    { id: `${tag}-${String(seq).padStart(6, '0')}`, app: 'dispatcher', instanceId: 'int-1' },
  );
}

const list = (query: Record<string, string>) => new ListOperationalRecordsUseCase(store).execute(ListOperationalRecordsCommand.create(query));

describe('operational records on real PostgreSQL', () => {
  it('keeps every field of a record as written, hops and derived durations included', async () => {
    const written = record('roundtrip', 0, { replyMessageId: 'reply-1' });
    await store.insertBatch([written]);
    const [read] = (await list({ messageId: written.messageId })).items;
    expect(read).toEqual({ ...written, recordedAt: expect.any(String) });
    expect(read.durations).toEqual({ acceptMs: 5, queueMs: 15, prepareMs: 5, partnerMs: 300, replyMs: 15, totalMs: 340 });
  });

  it('filters by client, service, partner, direction, result, error code, message id, correlation id and time range', async () => {
    const tag = 'filters';
    const records = [
      record(tag, 0),
      record(tag, 1, { client: 'MLSP/benefits' }),
      record(tag, 2, { service: 'population-registry/GetPerson' }),
      record(tag, 3, { result: 'failed', errorCode: 'PARTNER_TIMEOUT', responseSize: undefined }),
      record(tag, 4, { result: 'dead-lettered', errorCode: 'REPLY_SIGNER_NOT_PARTNER' }),
      record(tag, 5, { direction: 'inbound', client: 'AZ/GOV/1000001/egov-portal', service: 'ministry/GetPensionEntitlement' }),
      record(tag, 6, { correlationId: 'filters-other' }),
    ];
    await store.insertBatch(records);
    const ids = async (query: Record<string, string>) => (await list({ correlationId: 'filters-c', ...query })).items.map((r) => r.id);
    const [r0, r1, r2, r3, r4, r5, r6] = records.map((r) => r.id);
    expect(await ids({})).toEqual([r5, r4, r3, r2, r1, r0]);
    expect(await ids({ client: 'MLSP/benefits' })).toEqual([r1]);
    expect(await ids({ service: 'population-registry/GetPerson' })).toEqual([r2]);
    expect(await ids({ partner: 'tax-service' })).toEqual([r4, r3, r1, r0]);
    expect(await ids({ direction: 'inbound' })).toEqual([r5]);
    expect(await ids({ result: 'failed,dead-lettered' })).toEqual([r4, r3]);
    expect(await ids({ errorCode: 'PARTNER_TIMEOUT' })).toEqual([r3]);
    expect(await ids({ messageId: records[2].messageId })).toEqual([r2]);
    expect(await ids({ from: '2026-12-02T10:01:00Z', to: '2026-12-02T10:03:00Z' })).toEqual([r2, r1]);
    expect((await list({ correlationId: 'filters-other' })).items.map((r) => r.id)).toEqual([r6]);
  });

  it('pages newest first by cursor with neither gaps nor repeats, ties on the instant broken by id, unmoved by newer records', async () => {
    const tag = 'paging';
    const records = Array.from({ length: 10 }, (_, i) => record(tag, i < 4 ? 100 : 100 + i));
    await store.insertBatch(records);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await list({ correlationId: 'paging-c', limit: '3', ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
      pages += 1;
      // A newer exchange recorded between two pages must not shift the pages after it.
      if (pages === 1) await store.insertBatch([record(tag, 500)]);
    } while (cursor);
    const expected = [...records].sort((a, b) => (a.hops.requestInAt === b.hops.requestInAt ? (a.id < b.id ? 1 : -1) : a.hops.requestInAt < b.hops.requestInAt ? 1 : -1));
    expect(seen).toEqual(expected.map((r) => r.id));
    expect(pages).toBe(4);
  });

  it('writes what the recorder gathers in batches, once each, and ignores a batch written twice', async () => {
    const recorder = new BufferedOperationalRecorder(store, { app: 'dispatcher', instanceId: 'int-2', batchSize: 200, flushMs: 10, maxQueued: 10_000 });
    for (let i = 0; i < 450; i++) {
      recorder.record({
        direction: 'outbound',
        client: 'MLSP/pensions',
        service: 'tax-service/GetTaxpayer',
        messageId: `batch-m${i}`,
        correlationId: 'batch-c',
        attempt: 1,
        requestSize: 10,
        hops: { requestInAt: new Date(Date.UTC(2026, 11, 2, 11, 0, 0) + i).toISOString() },
        result: 'succeeded',
      });
    }
    await recorder.flush();
    const { rows } = await db.query<{ n: string; instances: string }>(`SELECT count(*) AS n, string_agg(DISTINCT instance_id, ',') AS instances FROM operational_records WHERE correlation_id = 'batch-c'`);
    expect(rows[0]).toEqual({ n: '450', instances: 'int-2' });
    const again = record('batch-twice', 0);
    await store.insertBatch([again]);
    await store.insertBatch([again]);
    expect((await list({ messageId: again.messageId })).items).toHaveLength(1);
  });

  it('purges in batches exactly the records older than the retention period', async () => {
    const tag = 'purge';
    const now = new Date('2027-03-01T00:00:00.000Z');
    const day = 86_400_000;
    const at = (daysAgo: number) => record(tag, (now.getTime() - daysAgo * day - Date.UTC(2026, 11, 2, 10, 0, 0)) / 60_000, { correlationId: 'purge-c' });
    // Everything else this file wrote is from December 2026: older than 30 days before `now` too.
    const others = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM operational_records WHERE correlation_id <> 'purge-c'`)).rows[0].n);
    const old = [45, 40, 31, 30.001].map(at);
    const kept = [29.999, 10, 0].map(at);
    await store.insertBatch([...old, ...kept]);
    const clock = new (class extends Clock {
      now(): Date {
        return now;
      }
    })();
    const result = await new PurgeOperationalRecordsUseCase(store, clock, { retentionDays: 30, purgeBatch: 100 }).execute();
    expect(result.purged).toBe(old.length + others);
    expect(result.batches).toBe(Math.floor((old.length + others) / 100) + 1);
    const left = await db.query<{ id: string }>(`SELECT id FROM operational_records ORDER BY request_in_at`);
    expect(left.rows.map((r) => r.id)).toEqual(kept.map((r) => r.id));
  });

  it('summarises a partner\'s exchanges per bucket and over the window: counts, errors, dead letters, refusals, p99', async () => {
    const at = (minutes: number, ms: number) => new Date(Date.UTC(2026, 11, 2, 10, 0, 0) + minutes * 60_000 + ms).toISOString();
    const service = 'summary-partner/GetThing';
    const lasting = (minutes: number, totalMs: number) => ({ requestInAt: at(minutes, 0), responseOutAt: at(minutes, totalMs) });
    await store.insertBatch([
      record('sum', 0, { service, result: 'succeeded' }),
      record('sum', 0, { service, result: 'failed', errorCode: 'PARTNER_TIMEOUT' }),
      record('sum', 0, { service, result: 'dead-lettered', errorCode: 'SCHEMA_INVALID' }),
      record('sum', 1, { service, result: 'refused', errorCode: 'ACCESS_DENIED', hops: lasting(1, 10) }),
      record('sum', 1, { service, result: 'succeeded', hops: lasting(1, 1000) }),
      record('sum', 0, { service: 'other-partner/GetThing' }),
    ]);
    const clock = { now: () => new Date(Date.UTC(2026, 11, 2, 10, 30, 0)) } as Clock;
    const summary = await new SummarizeExchangesUseCase(store, clock).execute(SummarizeExchangesCommand.create({ window: '1h', partner: 'summary-partner' }));
    expect(summary).toMatchObject({ window: '1h', bucketSeconds: 60, from: '2026-12-02T09:30:00.000Z', to: '2026-12-02T10:30:00.000Z' });
    expect(summary.partners).toEqual([
      {
        partner: 'summary-partner',
        // p99 of [10, 340, 340, 340, 1000] (percentile_cont): 340 + 0.96 × 660.
        totals: { exchanges: 5, errors: 2, deadLettered: 1, refused: 1, errorRate: 0.4, p99Ms: 974 },
        buckets: [
          { at: '2026-12-02T10:00:00.000Z', exchanges: 3, errors: 2, deadLettered: 1, refused: 0, errorRate: 2 / 3, p99Ms: 340 },
          { at: '2026-12-02T10:01:00.000Z', exchanges: 2, errors: 0, deadLettered: 0, refused: 1, errorRate: 0, p99Ms: 990 },
        ],
      },
    ]);
    // Every partner without the filter; a window that began after the records holds none of them.
    const all = await new SummarizeExchangesUseCase(store, clock).execute(SummarizeExchangesCommand.create({}));
    expect(all.partners.map((p) => p.partner)).toEqual(expect.arrayContaining(['other-partner', 'summary-partner']));
    const later = { now: () => new Date(Date.UTC(2026, 11, 2, 11, 5, 0)) } as Clock;
    const none = await new SummarizeExchangesUseCase(store, later).execute(SummarizeExchangesCommand.create({ partner: 'summary-partner' }));
    expect(none.partners).toEqual([]);
  });
});
