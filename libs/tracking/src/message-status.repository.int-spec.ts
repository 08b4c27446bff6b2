import { createEnvelope, Envelope } from '@korpu/envelope';
import { loadMigrations, MigrationRunner, PgDatabase } from '@korpu/store';
import { createTestDatabase, TestDatabase } from '@korpu/testing';
import { MessageStatus } from './message-status';
import { MessageStatusRepository } from './message-status.repository';
import { TRACKING_MIGRATIONS } from './tracking.module';

let testDb: TestDatabase;
let db: PgDatabase;
let statuses: MessageStatusRepository;

beforeAll(async () => {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set: run through the integration project (global set-up)');
  testDb = await createTestDatabase(base);
  db = new PgDatabase({ url: testDb.url, poolSize: 8 });
  await new MigrationRunner(db).run(loadMigrations([TRACKING_MIGRATIONS]));
  statuses = new MessageStatusRepository(db);
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

const envelope = (messageId: string, client = 'MLSP/pensions'): Envelope =>
  createEnvelope({
    messageId,
    client,
    service: { partner: 'tax-service', operation: 'GetTaxpayer' },
    messageType: 'taxpayer-lookup-request',
    schemaVersion: '1',
    contentType: 'application/json',
    payload: '{}',
  });

describe('MessageStatusRepository claims on real PostgreSQL', () => {
  it('lets exactly one of many concurrent claims of an id win', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => statuses.claim(envelope('claim-race-1'), 120)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await statuses.findCurrent('claim-race-1'))?.status).toBe(MessageStatus.CLAIMED);
  });

  it('holds a claimed id against another client, and an accepted one against everybody', async () => {
    expect(await statuses.claim(envelope('claim-held-1'), 120)).toBe(true);
    expect(await statuses.claim(envelope('claim-held-1', 'MLSP/benefits'), 0)).toBe(false);
    await statuses.record(envelope('claim-held-1'), MessageStatus.ACCEPTED);
    expect(await statuses.claim(envelope('claim-held-1'), 0)).toBe(false);
    expect((await statuses.findCurrent('claim-held-1'))?.status).toBe(MessageStatus.ACCEPTED);
  });

  it('frees a released claim, and lets the same client take over a stale one after the lease', async () => {
    expect(await statuses.claim(envelope('claim-free-1'), 120)).toBe(true);
    await statuses.release('claim-free-1');
    expect(await statuses.findCurrent('claim-free-1')).toBeUndefined();
    expect(await statuses.claim(envelope('claim-free-1'), 120)).toBe(true);
    expect(await statuses.claim(envelope('claim-free-1'), 120)).toBe(false);
    await db.query(`UPDATE messages SET updated_at = now() - interval '10 minutes' WHERE message_id = $1`, ['claim-free-1']);
    expect(await statuses.claim(envelope('claim-free-1', 'MLSP/benefits'), 120)).toBe(false);
    expect(await statuses.claim(envelope('claim-free-1'), 120)).toBe(true);
  });

  it('never releases an id whose message was accepted', async () => {
    expect(await statuses.claim(envelope('claim-kept-1'), 120)).toBe(true);
    await statuses.record(envelope('claim-kept-1'), MessageStatus.ACCEPTED);
    await statuses.release('claim-kept-1');
    expect((await statuses.findCurrent('claim-kept-1'))?.status).toBe(MessageStatus.ACCEPTED);
  });
});
