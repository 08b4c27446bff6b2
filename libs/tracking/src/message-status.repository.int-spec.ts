import { DataKeys } from '@korpu/crypto-at-rest';
import { createEnvelope, createReply, Envelope } from '@korpu/envelope';
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
  statuses = new MessageStatusRepository(db, new DataKeys({ keys: {} }));
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

  it('answers each of many concurrent claims of different ids as if alone (they share statements)', async () => {
    await statuses.record(envelope('claim-many-taken'), MessageStatus.ACCEPTED);
    const ids = [...Array.from({ length: 20 }, (_, i) => `claim-many-${i}`), 'claim-many-taken'];
    const results = await Promise.all([
      ...ids.map((id) => statuses.claim(envelope(id), 120, 'holder-a')),
      statuses.claim(envelope('claim-many-3', 'MLSP/benefits'), 120, 'holder-b'),
    ]);
    expect(results).toEqual([...ids.slice(0, 20).map(() => true), false, false]);
    expect((await statuses.findCurrent('claim-many-taken'))?.status).toBe(MessageStatus.ACCEPTED);
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

  it('takes over at once the claim of a holder that stopped saying it is alive, well before the lease', async () => {
    await statuses.markHolderAlive('holder-alive-1');
    expect(await statuses.claim(envelope('claim-holder-1'), 120, 'holder-alive-1')).toBe(true);
    // Its holder alive: held against the same client for the whole lease.
    expect(await statuses.claim(envelope('claim-holder-1'), 120, 'holder-other-1')).toBe(false);
    // The holder was killed between claim and queueing: no sign of life for longer than the window.
    await db.query(`UPDATE claim_holders SET alive_at = now() - interval '1 minute' WHERE holder = $1`, ['holder-alive-1']);
    expect(await statuses.claim(envelope('claim-holder-1', 'MLSP/benefits'), 120, 'holder-other-1')).toBe(false);
    await statuses.markHolderAlive('holder-other-1');
    expect(await statuses.claim(envelope('claim-holder-1'), 120, 'holder-other-1')).toBe(true);
    const { rows } = await db.query(`SELECT claimed_by FROM messages WHERE message_id = $1`, ['claim-holder-1']);
    expect(rows[0].claimed_by).toBe('holder-other-1');
    // The new holder is alive: its claim holds.
    expect(await statuses.claim(envelope('claim-holder-1'), 120, 'holder-alive-1')).toBe(false);
  });

  it('treats a claim of a holder never seen alive as orphaned, and one accepted as nobody\'s to take', async () => {
    expect(await statuses.claim(envelope('claim-holder-2'), 120, 'holder-never-seen')).toBe(true);
    expect(await statuses.claim(envelope('claim-holder-2'), 120, 'holder-other-2')).toBe(true);
    await statuses.record(envelope('claim-holder-2'), MessageStatus.ACCEPTED);
    await db.query(`UPDATE claim_holders SET alive_at = now() - interval '1 minute'`);
    expect(await statuses.claim(envelope('claim-holder-2'), 120, 'holder-other-3')).toBe(false);
    expect((await statuses.findCurrent('claim-holder-2'))?.status).toBe(MessageStatus.ACCEPTED);
  });

  it('never releases an id whose message was accepted', async () => {
    expect(await statuses.claim(envelope('claim-kept-1'), 120)).toBe(true);
    await statuses.record(envelope('claim-kept-1'), MessageStatus.ACCEPTED);
    await statuses.release('claim-kept-1');
    expect((await statuses.findCurrent('claim-kept-1'))?.status).toBe(MessageStatus.ACCEPTED);
  });
});

describe('MessageStatusRepository correlation ordering on real PostgreSQL', () => {
  const at = (offsetMs: number): string => new Date(Date.UTC(2026, 0, 1) + offsetMs).toISOString();
  const message = (messageId: string, over: { client?: string; partner?: string; operation?: string; createdAt: string }): Envelope => ({
    ...createEnvelope({
      messageId,
      correlationId: 'order-shared-1',
      client: over.client ?? 'MLSP/pensions',
      service: { partner: over.partner ?? 'tax-service', operation: over.operation ?? 'GetTaxpayer' },
      messageType: 'taxpayer-lookup-request',
      schemaVersion: '1',
      contentType: 'application/json',
      payload: '{}',
    }),
    createdAt: over.createdAt,
  });

  it('holds a message behind an earlier retrying message of its client, partner and correlation (any operation)', async () => {
    await statuses.record(message('order-same-1', { operation: 'GetTaxDebt', createdAt: at(0) }), MessageStatus.RETRYING);
    expect(await statuses.hasEarlierPending(message('order-same-2', { createdAt: at(1000) }))).toBe(true);
    // The earlier one is not held behind the later one.
    expect(await statuses.hasEarlierPending(message('order-same-0', { createdAt: at(-1000) }))).toBe(false);
  });

  it('answers delivery in one query: the current row (or none) and whether an earlier message is pending', async () => {
    const later = message('order-one-query-2', { client: 'MLSP/one-query', createdAt: at(41_000) });
    expect(await statuses.findForDelivery(later)).toEqual({ current: undefined, earlierPending: false });
    await statuses.record(message('order-one-query-1', { client: 'MLSP/one-query', createdAt: at(40_000) }), MessageStatus.RETRYING);
    await statuses.record(later, MessageStatus.ACCEPTED);
    const found = await statuses.findForDelivery(later);
    expect(found.earlierPending).toBe(true);
    expect(found.current).toMatchObject({ messageId: 'order-one-query-2', status: MessageStatus.ACCEPTED, client: 'MLSP/one-query' });
  });

  it('answers concurrent delivery reads each for its own message (they share a query)', async () => {
    await statuses.record(message('order-batch-held-1', { client: 'MLSP/batch-read', createdAt: at(50_000) }), MessageStatus.RETRYING);
    await statuses.record(message('order-batch-known', { client: 'MLSP/batch-read-2', createdAt: at(50_500) }), MessageStatus.DISPATCHED);
    const reads = await Promise.all([
      statuses.findForDelivery(message('order-batch-held-2', { client: 'MLSP/batch-read', createdAt: at(51_000) })),
      statuses.findForDelivery(message('order-batch-free', { client: 'MLSP/batch-read', createdAt: at(49_000) })),
      statuses.findForDelivery(message('order-batch-known', { client: 'MLSP/batch-read-2', createdAt: at(50_500) })),
      statuses.findForDelivery(message('order-batch-other', { client: 'MLSP/batch-read-3', createdAt: at(52_000) })),
    ]);
    expect(reads.map((read) => [read.current?.status, read.earlierPending])).toEqual([
      [undefined, true],
      [undefined, false],
      [MessageStatus.DISPATCHED, false],
      [undefined, false],
    ]);
  });

  it('looks each message of a delivery read up by its key, and earlier pending ones in the partial index, in the generic plan made while the table is small', async () => {
    // A prepared statement's generic plan is kept by its connection: made on a near-empty table, a plain join became a
    // hash join over a sequential scan of messages, which cost more with every row the table gained.
    const spy = jest.spyOn(db, 'query');
    await statuses.findForDelivery(message('order-plan-1', { createdAt: at(60_000) }));
    const sql = spy.mock.calls.map(([text]) => text).find((text) => text.includes('AS wanted'));
    spy.mockRestore();
    expect(sql).toBeDefined();
    const plan = await db.transaction(async (tx) => {
      await tx.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
      await tx.query(`PREPARE delivery_read_plan (text[], text[], timestamptz[], text[], text[]) AS ${sql}`);
      try {
        const { rows } = await tx.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN EXECUTE delivery_read_plan ('{a}', '{c}', '{2026-01-01T00:00:00Z}', '{MLSP/pensions}', '{tax-service}')`,
        );
        return rows.map((row) => row['QUERY PLAN']).join('\n');
      } finally {
        await tx.query(`DEALLOCATE delivery_read_plan`);
      }
    });
    expect(plan).toMatch(/Index Scan using messages_pkey on messages/);
    expect(plan).not.toMatch(/Seq Scan on messages/);
    // The earlier-pending test through the partial index of retrying messages, not the whole status index.
    expect(plan).toMatch(/messages_pending_retry_correlation_idx/);
  });

  it("moves a message through its statuses with heap-only updates (no index entry written), retrying included", async () => {
    // PostgreSQL updates a row in place of its page only when no indexed column changes (partial indexes' WHERE
    // included): an index on status, or a predicate naming it, would make every status change write every index.
    const counts = async (): Promise<{ updated: number; hot: number }> => {
      const { rows } = await db.query<{ n_tup_upd: string; n_tup_hot_upd: string }>(
        `SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'messages'`,
      );
      return { updated: Number(rows[0].n_tup_upd), hot: Number(rows[0].n_tup_hot_upd) };
    };
    // The server's counters trail each backend's own by up to a second (an idle backend reports within one): read
    // them once they have not moved for two seconds, so the earlier tests' updates are all in `before`.
    const settled = async (): Promise<{ updated: number; hot: number }> => {
      const deadline = Date.now() + 20_000;
      let last = await counts();
      let since = Date.now();
      while (Date.now() - since < 2_000 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        const now = await counts();
        if (now.updated !== last.updated || now.hot !== last.hot) [last, since] = [now, Date.now()];
      }
      return last;
    };
    const before = await settled();
    const requests = Array.from({ length: 20 }, (_, i) => message(`order-hot-${i}`, { client: 'MLSP/hot', createdAt: at(90_000 + i) }));
    for (const request of requests) await statuses.record(request, MessageStatus.ACCEPTED);
    for (const request of requests) await statuses.record(request, MessageStatus.DISPATCHED);
    for (const request of requests) {
      await statuses.recordReply(request, createReply(request, { messageType: 'taxpayer-lookup-reply', schemaVersion: '1', contentType: 'application/json', payload: '{"voen":"1234567891"}' }));
    }
    const after = await settled();
    expect(after.updated - before.updated).toBe(40);
    expect(after.hot - before.hot).toBe(40);
    // A message that starts retrying leaves the heap-only path (it enters the partial index) and is found there.
    await statuses.record(message('order-hot-retrying', { client: 'MLSP/hot', createdAt: at(95_000) }), MessageStatus.DISPATCHED);
    await statuses.record(message('order-hot-retrying', { client: 'MLSP/hot', createdAt: at(95_000) }), MessageStatus.RETRYING);
    expect(await statuses.hasEarlierPending(message('order-hot-later', { client: 'MLSP/hot', createdAt: at(96_000) }))).toBe(true);
    // ... and leaves it once answered; a status set by hand (an operator's UPDATE) is followed too.
    const retrying = message('order-hot-retrying', { client: 'MLSP/hot', createdAt: at(95_000) });
    await statuses.recordReply(retrying, createReply(retrying, { messageType: 'taxpayer-lookup-reply', schemaVersion: '1', contentType: 'application/json', payload: '{}' }));
    expect(await statuses.hasEarlierPending(message('order-hot-later', { client: 'MLSP/hot', createdAt: at(96_000) }))).toBe(false);
    await db.query(`UPDATE messages SET status = 'retrying' WHERE message_id = 'order-hot-retrying'`);
    expect(await statuses.hasEarlierPending(message('order-hot-later', { client: 'MLSP/hot', createdAt: at(96_000) }))).toBe(true);
  });

  it("does not hold a client's message behind another client's retrying message of the same correlation id", async () => {
    await statuses.record(message('order-other-client-1', { client: 'MLSP/benefits', createdAt: at(10_000) }), MessageStatus.RETRYING);
    expect(await statuses.hasEarlierPending(message('order-other-client-2', { client: 'MLSP/disability', createdAt: at(11_000) }))).toBe(false);
  });

  it('does not hold a message to a healthy partner behind a retrying message of the same correlation to another partner', async () => {
    await statuses.record(
      message('order-other-partner-1', { client: 'MLSP/partner-scope', partner: 'population-registry', operation: 'GetPerson', createdAt: at(20_000) }),
      MessageStatus.RETRYING,
    );
    expect(await statuses.hasEarlierPending(message('order-other-partner-2', { client: 'MLSP/partner-scope', createdAt: at(21_000) }))).toBe(false);
    // A partner whose id only starts like the other's is another partner too.
    await statuses.record(
      message('order-prefix-1', { client: 'MLSP/prefix-scope', partner: 'tax-service-archive', createdAt: at(30_000) }),
      MessageStatus.RETRYING,
    );
    expect(await statuses.hasEarlierPending(message('order-prefix-2', { client: 'MLSP/prefix-scope', createdAt: at(31_000) }))).toBe(false);
  });
});

describe('MessageStatusRepository.record on real PostgreSQL (concurrent changes share a statement)', () => {
  it('moves a message forward, never back, keeps every event, the highest attempt and a failure\'s error', async () => {
    const m = envelope('record-1');
    expect(await statuses.record(m, MessageStatus.ACCEPTED)).toBe(true);
    expect(await statuses.record(m, MessageStatus.DISPATCHED, { attempt: 2 })).toBe(true);
    // dispatched and retrying share a rank: each replaces the other.
    expect(await statuses.record(m, MessageStatus.RETRYING, { attempt: 1, code: 'PARTNER_UNAVAILABLE' })).toBe(true);
    // A late "accepted" does not move it back, but its event is kept.
    expect(await statuses.record(m, MessageStatus.ACCEPTED)).toBe(false);
    let found = await statuses.find('record-1');
    expect(found).toMatchObject({ status: MessageStatus.RETRYING, attempts: 2 });
    expect(found?.error).toBeUndefined();
    expect(found?.history.map((event) => event.status)).toEqual(['accepted', 'dispatched', 'retrying', 'accepted']);
    expect(await statuses.record(m, MessageStatus.FAILED, { code: 'SCHEMA_INVALID', message: 'bad reply', attempt: 3 })).toBe(true);
    found = await statuses.find('record-1');
    expect(found).toMatchObject({ status: MessageStatus.FAILED, attempts: 3, error: { code: 'SCHEMA_INVALID', message: 'bad reply' } });
    expect(await statuses.record(m, MessageStatus.DISPATCHED, { attempt: 1 })).toBe(false);
    expect((await statuses.find('record-1'))?.attempts).toBe(3);
  });

  it('keeps the reply with its request and marks it replied, clearing an earlier error', async () => {
    const m = envelope('record-reply-1');
    await statuses.record(m, MessageStatus.FAILED, { code: 'PARTNER_UNAVAILABLE', message: 'down' });
    await statuses.recordReplay('record-reply-1', { operator: 'test' });
    const reply = { ...envelope('record-reply-1-reply'), inReplyTo: 'record-reply-1', payload: '{"answer":42}' };
    await statuses.recordReply(m, reply);
    const found = await statuses.find('record-reply-1');
    expect(found).toMatchObject({ status: MessageStatus.REPLIED, reply: { messageId: 'record-reply-1-reply', payload: '{"answer":42}' } });
    expect(found?.error).toBeUndefined();
    expect(found?.history.at(-1)).toMatchObject({ status: 'replied', detail: { replyMessageId: 'record-reply-1-reply' } });
  });

  it('keeps each of many concurrent replies with its own request (they share statements)', async () => {
    const ids = Array.from({ length: 25 }, (_, i) => `reply-many-${i}`);
    await Promise.all(ids.map((id) => statuses.record(envelope(id), MessageStatus.DISPATCHED, { attempt: 1 })));
    await Promise.all(ids.map((id) => statuses.recordReply(envelope(id), { ...envelope(`${id}-reply`), inReplyTo: id, payload: `{"for":"${id}"}` })));
    const found = await Promise.all(ids.map((id) => statuses.find(id)));
    expect(found.map((record) => [record?.status, record?.reply?.messageId, record?.reply?.payload])).toEqual(
      ids.map((id) => ['replied', `${id}-reply`, `{"for":"${id}"}`]),
    );
    expect(found.map((record) => record?.history.map((event) => event.status))).toEqual(ids.map(() => ['dispatched', 'replied']));
  });

  it('records many changes of many messages at once without losing one', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `record-many-${i}`);
    await Promise.all(ids.map((id) => statuses.record(envelope(id), MessageStatus.ACCEPTED)));
    await Promise.all(ids.map((id) => statuses.record(envelope(id), MessageStatus.DISPATCHED, { attempt: 1 })));
    const found = await Promise.all(ids.map((id) => statuses.find(id)));
    expect(found.map((record) => record?.status)).toEqual(ids.map(() => MessageStatus.DISPATCHED));
    expect(found.every((record) => record?.history.length === 2)).toBe(true);
  });

  it('writes concurrent changes in few statements, each answered as if alone (forward, refused back, failed, twice one id)', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `record-batch-${i}`);
    await Promise.all(ids.map((id) => statuses.record(envelope(id), MessageStatus.DISPATCHED, { attempt: 1 })));
    const before = statuses.statusWriteStats;
    const moved = await Promise.all([
      ...ids.slice(0, 10).map((id) => statuses.record(envelope(id), MessageStatus.RETRYING, { attempt: 2, code: 'PARTNER_UNAVAILABLE' })),
      // Back from dispatched: refused, the event kept.
      ...ids.slice(10, 20).map((id) => statuses.record(envelope(id), MessageStatus.ACCEPTED)),
      ...ids.slice(20).map((id) => statuses.record(envelope(id), MessageStatus.FAILED, { code: 'SCHEMA_INVALID', message: `bad ${id}`, attempt: 3 })),
      // The same id twice at once: never in one statement, both applied in order.
      statuses.record(envelope(ids[0]), MessageStatus.FAILED, { code: 'DEAD', message: 'gave up', attempt: 4 }),
    ]);
    const after = statuses.statusWriteStats;
    expect(after.writes - before.writes).toBe(31);
    // The first change goes alone (idle), the other 30 wait for it; the repeated id needs one more statement.
    expect(after.statements - before.statements).toBeLessThanOrEqual(4);
    expect(moved).toEqual([...ids.slice(0, 10).map(() => true), ...ids.slice(10, 20).map(() => false), ...ids.slice(20).map(() => true), true]);
    const found = await Promise.all(ids.map((id) => statuses.find(id)));
    expect(found[0]).toMatchObject({ status: MessageStatus.FAILED, attempts: 4, error: { code: 'DEAD', message: 'gave up' } });
    expect(found[0]?.history.map((event) => event.status)).toEqual(['dispatched', 'retrying', 'failed']);
    expect(found.slice(1, 10).map((record) => [record?.status, record?.attempts, record?.error])).toEqual(ids.slice(1, 10).map(() => ['retrying', 2, undefined]));
    expect(found.slice(10, 20).map((record) => [record?.status, record?.history.length])).toEqual(ids.slice(10, 20).map(() => ['dispatched', 2]));
    expect(found.slice(20).map((record) => record?.error)).toEqual(ids.slice(20).map((id) => ({ code: 'SCHEMA_INVALID', message: `bad ${id}` })));
  });
});

describe('MessageStatusRepository with text UTF-8 cannot carry', () => {
  it("records a failure whose message quotes a lone surrogate (U+FFFD in its place), with the batch's other changes", async () => {
    // jsonb refuses the escape JSON.stringify writes for a lone surrogate: the whole batch's statement failed.
    const [failed, other] = await Promise.all([
      statuses.record(envelope('lone-surrogate-1'), MessageStatus.FAILED, { code: 'PARTNER_REJECTED', message: 'partner said \ud800!' }),
      statuses.record(envelope('lone-surrogate-2'), MessageStatus.ACCEPTED),
    ]);
    expect([failed, other]).toEqual([true, true]);
    const record = await statuses.find('lone-surrogate-1');
    expect(record?.error).toEqual({ code: 'PARTNER_REJECTED', message: 'partner said \ufffd!' });
    expect(record?.history.map((event) => event.detail?.message)).toEqual(['partner said \ufffd!']);
  });
});

describe('the storage of messages', () => {
  it('keeps a sealed reply out of line as it is (ciphertext does not compress: no attempt is made)', async () => {
    const { rows } = await db.query<{ attstorage: string }>(
      `SELECT attstorage FROM pg_attribute WHERE attrelid = 'messages'::regclass AND attname = 'reply_payload'`,
    );
    expect(rows).toEqual([{ attstorage: 'e' }]);
    const request = envelope('storage-reply-1');
    const payload = JSON.stringify({ voen: '1234567891', filler: 'x'.repeat(4000) });
    await statuses.recordReply(request, createReply(request, { messageType: 'taxpayer-lookup-reply', schemaVersion: '1', contentType: 'application/json', payload }));
    expect((await statuses.findCurrent('storage-reply-1'))?.reply?.payload).toBe(payload);
    const stored = await db.query<{ stored: number; length: number }>(
      `SELECT pg_column_size(reply_payload) AS stored, octet_length(reply_payload) AS length FROM messages WHERE message_id = 'storage-reply-1'`,
    );
    expect(stored.rows[0].stored).toBeGreaterThanOrEqual(stored.rows[0].length);
  });
});

describe('the heap-only status migration on a database of the release before it', () => {
  it('marks the messages retrying at the upgrade as pending, so the ordering check still holds later ones behind them', async () => {
    const before = await createTestDatabase(process.env.TEST_DATABASE_URL as string);
    const older = new PgDatabase({ url: before.url, poolSize: 2 });
    try {
      const all = loadMigrations([TRACKING_MIGRATIONS]);
      const upgrade = all.findIndex((migration) => migration.name === '202612080100_tracking_heap-only-status');
      expect(upgrade).toBeGreaterThan(0);
      await new MigrationRunner(older).run(all.slice(0, upgrade));
      // What the release before wrote: a message retrying, one replied, of one correlation.
      for (const [id, status, rank, at] of [
        ['upgrade-retrying', 'retrying', 2, '2026-01-01T00:00:00Z'],
        ['upgrade-replied', 'replied', 4, '2026-01-01T00:00:01Z'],
      ]) {
        await older.query(
          `INSERT INTO messages (message_id, correlation_id, client, service, message_type, schema_version, direction, status, status_rank, created_at)
           VALUES ($1, 'upgrade-order', 'MLSP/pensions', 'tax-service/GetTaxpayer', 'taxpayer-lookup-request', '1', 'outbound', $2, $3, $4)`,
          [id, status, rank, at],
        );
      }
      await new MigrationRunner(older).run(all);
      const repository = new MessageStatusRepository(older, new DataKeys({ keys: {} }));
      const later = {
        ...createEnvelope({
          messageId: 'upgrade-later',
          correlationId: 'upgrade-order',
          client: 'MLSP/pensions',
          service: { partner: 'tax-service', operation: 'GetTaxpayer' },
          messageType: 'taxpayer-lookup-request',
          schemaVersion: '1',
          contentType: 'application/json',
          payload: '{}',
        }),
        createdAt: '2026-01-01T00:00:02Z',
      };
      expect(await repository.hasEarlierPending(later)).toBe(true);
      const { rows } = await older.query<{ message_id: string; pending_retry: boolean | null }>(
        `SELECT message_id, pending_retry FROM messages ORDER BY message_id`,
      );
      expect(rows).toEqual([
        { message_id: 'upgrade-replied', pending_retry: null },
        { message_id: 'upgrade-retrying', pending_retry: true },
      ]);
    } finally {
      await older.close();
      await before.drop();
    }
  });
});
