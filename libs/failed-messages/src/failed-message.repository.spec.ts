import { randomBytes } from 'node:crypto';
import { CryptoAtRestErrorCode, DataKeys, SEALED_PREFIX } from '@korpu/crypto-at-rest';
import { Database, MigrationRunner, PgliteDatabase, loadMigrations } from '@korpu/store';
import { OPERATORS_MIGRATIONS } from '@korpu/operators';
import { TRACKING_MIGRATIONS } from '@korpu/tracking';
import { aDeadLetterRecord } from '../test/dead-letter-fixtures';
import { deadLetterHeaders } from './dead-letter-headers';
import { readDeadLetterRecord } from './dead-letter-record';
import { FailedMessageRepository } from './failed-message.repository';
import { FAILED_MESSAGES_MIGRATIONS } from './failed-messages.module';

let db: Database;
let repository: FailedMessageRepository;
const KEY_A = randomBytes(32).toString('base64');

beforeAll(async () => {
  db = await PgliteDatabase.open();
  await new MigrationRunner(db).run(loadMigrations([TRACKING_MIGRATIONS, FAILED_MESSAGES_MIGRATIONS, OPERATORS_MIGRATIONS]));
  repository = new FailedMessageRepository(db, new DataKeys({ keys: { a: KEY_A }, activeKeyId: 'a' }));
});

afterAll(async () => {
  await db.close();
});

beforeEach(async () => {
  await db.execScript('TRUNCATE failed_messages CASCADE;');
});

const at = (minutes: number) => new Date(Date.parse('2026-12-01T08:00:00Z') + minutes * 60_000);

describe('FailedMessageRepository (PGlite)', () => {
  it('stores a dead-letter record once however often it is delivered', async () => {
    const { envelope, record } = aDeadLetterRecord({ failedAt: at(0) });
    expect(await repository.store(readDeadLetterRecord(record))).toBe('created');
    expect(await repository.store(readDeadLetterRecord(record))).toBe('duplicate');
    const stored = await repository.find(envelope.messageId);
    expect(stored).toMatchObject({
      messageId: envelope.messageId,
      correlationId: envelope.correlationId,
      status: 'unresolved',
      failureCount: 1,
      attempts: 5,
      originalTopic: 'korpu.outbound.tax-service',
      originalPartition: 1,
      payload: envelope.payload,
      key: envelope.correlationId,
      editedPayload: null,
    });
    expect(stored?.headers['korpu-message-id']).toBe(envelope.messageId);
    expect(Object.keys(stored?.headers ?? {}).filter((name) => name.startsWith('korpu-dlq-'))).toEqual([]);
    expect(await repository.history(envelope.messageId)).toHaveLength(1);
  });

  it("keeps an operator's reason that quotes a lone surrogate (U+FFFD in its place; jsonb refused the escape)", async () => {
    const { envelope, record } = aDeadLetterRecord({ failedAt: at(0) });
    await repository.store(readDeadLetterRecord(record));
    const changed = await repository.changeStatus(envelope.messageId, 'resolved', ['unresolved'], { operator: 'aysel', at: at(1), reason: 'sent by phone \ud800' });
    expect(changed.changed).toBe(true);
    const events = await repository.history(envelope.messageId);
    expect(events.map((event) => event.detail?.reason).filter(Boolean)).toEqual(['sent by phone \ufffd']);
  });

  it('brings a message that fails again back to unresolved, keeping its first failure and its history', async () => {
    const first = aDeadLetterRecord({ failedAt: at(0) });
    await repository.store(readDeadLetterRecord(first.record));
    await repository.claimForReplay(first.envelope.messageId, ['unresolved'], { replayId: 'r1', operator: 'aysel', at: at(5), force: false });
    const again = {
      ...first.record,
      offset: String(Number(first.record.offset) + 100),
      headers: deadLetterHeaders({
        original: { topic: 'korpu.outbound.tax-service', partition: 1, offset: '5000', headers: first.record.headers },
        failure: { code: 'REPLY_SCHEMA_INVALID', message: 'reply lacks /name' },
        attempts: 2,
        failedAt: at(10),
      }),
    };
    expect(await repository.store(readDeadLetterRecord(again))).toBe('failed-again');
    const stored = await repository.find(first.envelope.messageId);
    expect(stored).toMatchObject({
      status: 'unresolved',
      failureCount: 2,
      attempts: 2,
      errorCode: 'REPLY_SCHEMA_INVALID',
      originalOffset: '5000',
      firstFailedAt: at(0).toISOString(),
      lastFailedAt: at(10).toISOString(),
      replayCount: 1,
    });
    expect((await repository.history(first.envelope.messageId)).map((event) => event.kind)).toEqual(['failed', 'replayed', 'failed']);
  });

  it('searches by status, service, code, client, time and id prefix, newest first, page by page', async () => {
    const stored = [];
    for (let i = 0; i < 7; i++) {
      const fixture = aDeadLetterRecord({
        failedAt: at(i),
        partner: i % 2 ? 'tax-service' : 'population-registry',
        client: i < 3 ? 'MLSP/pensions' : 'MLSP/benefits',
        code: i === 6 ? 'PARTNER_TIMEOUT' : 'PARTNER_UNAVAILABLE',
        correlationId: `corr-${i}_x`,
      });
      await repository.store(readDeadLetterRecord(fixture.record));
      stored.push(fixture.envelope.messageId);
    }
    const pages: string[][] = [];
    let after;
    do {
      const page = await repository.search({}, { limit: 3, after });
      pages.push(page.map((m) => m.messageId));
      const last = page[page.length - 1];
      after = page.length === 3 ? { lastFailedAt: last.lastFailedAt, messageId: last.messageId } : undefined;
    } while (after);
    expect(pages.flat()).toEqual([...stored].reverse());

    const ids = async (filter: Parameters<FailedMessageRepository['search']>[0]) =>
      (await repository.search(filter, { limit: 100 })).map((m) => m.messageId);
    expect(await ids({ service: 'tax-service/GetTaxpayer' })).toEqual([stored[5], stored[3], stored[1]]);
    expect(await ids({ errorCode: 'PARTNER_TIMEOUT' })).toEqual([stored[6]]);
    expect(await ids({ client: 'MLSP/pensions', from: at(1), to: at(3) })).toEqual([stored[2], stored[1]]);
    expect(await ids({ text: stored[4] })).toEqual([stored[4]]);
    expect(await ids({ text: 'corr-3' })).toEqual([stored[3]]);
    expect(await ids({ text: 'corr-%' })).toEqual([]); // LIKE wildcards are taken literally
    expect(await ids({ text: 'corr-3_' })).toEqual([stored[3]]);
    expect(await ids({ status: ['resolved'] })).toEqual([]);
    expect(await repository.count({ status: ['unresolved'] })).toBe(7);
    expect(await ids({})).toHaveLength(7);
    expect((await repository.search({}, { limit: 2, order: 'asc' })).map((m) => m.messageId)).toEqual([stored[0], stored[1]]);
  });

  it('groups by cause and by service, largest first', async () => {
    for (let i = 0; i < 3; i++) await repository.store(readDeadLetterRecord(aDeadLetterRecord({ message: `timeout after ${30000 + i} ms`, code: 'PARTNER_TIMEOUT' }).record));
    await repository.store(readDeadLetterRecord(aDeadLetterRecord({ partner: 'population-registry' }).record));
    const byCause = await repository.groups('fingerprint', {}, 10);
    expect(byCause.map((g) => [g.count, g.errorCodes])).toEqual([
      [3, ['PARTNER_TIMEOUT']],
      [1, ['PARTNER_UNAVAILABLE']],
    ]);
    expect(byCause[0].sampleErrorMessage).toMatch(/^timeout after 3000\d ms$/);
    const byService = await repository.groups('service', {}, 10);
    expect(byService.map((g) => [g.key, g.count])).toEqual([
      ['tax-service/GetTaxpayer', 3],
      ['population-registry/GetTaxpayer', 1],
    ]);
  });

  it('lets only one of two concurrent replays claim a message', async () => {
    const { envelope, record } = aDeadLetterRecord();
    await repository.store(readDeadLetterRecord(record));
    const claim = (replayId: string) =>
      repository.claimForReplay(envelope.messageId, ['unresolved'], { replayId, operator: 'a', at: new Date(), force: false });
    const results = await Promise.all([claim('r1'), claim('r2')]);
    expect(results.filter((result) => result.claimed)).toHaveLength(1);
  });
});

describe('FailedMessageRepository payloads at rest (PGlite)', () => {
  const PERSONAL = '{"fin":"5ABC123","name":"Aysel Məmmədova","address":"Bakı, Nizami küç. 10"}';
  const raw = async (messageId: string) =>
    (await db.query<{ payload: string; edited_payload: string | null }>(`SELECT payload, edited_payload FROM failed_messages WHERE message_id = $1`, [messageId]))
      .rows[0];
  const edit = { operator: 'op', at: at(1), beforeHash: 'x', afterHash: 'y' };

  it('stores the payload and an edit of it encrypted under the active key, and reads them back', async () => {
    const { envelope, record } = aDeadLetterRecord({ payload: PERSONAL });
    await repository.store(readDeadLetterRecord(record));
    await repository.saveEdit(envelope.messageId, PERSONAL.replace('5ABC123', '5ABC124'), ['unresolved'], edit);
    const stored = await raw(envelope.messageId);
    expect(stored.payload.startsWith(`${SEALED_PREFIX}a:`)).toBe(true);
    expect(stored.edited_payload!.startsWith(`${SEALED_PREFIX}a:`)).toBe(true);
    expect(JSON.stringify(stored)).not.toMatch(/5ABC12|Aysel|Nizami/);
    expect(await repository.find(envelope.messageId)).toMatchObject({ payload: PERSONAL, editedPayload: PERSONAL.replace('5ABC123', '5ABC124') });
  });

  it('reads rows written under key A once the active key is B (A still listed), and names A when it is removed', async () => {
    const { envelope, record } = aDeadLetterRecord({ payload: PERSONAL });
    await repository.store(readDeadLetterRecord(record));
    const rotated = new FailedMessageRepository(db, new DataKeys({ keys: { a: KEY_A, b: randomBytes(32).toString('base64') }, activeKeyId: 'b' }));
    expect((await rotated.find(envelope.messageId))?.payload).toBe(PERSONAL);
    const later = aDeadLetterRecord({ payload: PERSONAL });
    await rotated.store(readDeadLetterRecord(later.record));
    expect((await raw(later.envelope.messageId)).payload.startsWith(`${SEALED_PREFIX}b:`)).toBe(true);
    const withoutA = new FailedMessageRepository(db, new DataKeys({ keys: { b: randomBytes(32).toString('base64') }, activeKeyId: 'b' }));
    await expect(withoutA.find(envelope.messageId)).rejects.toMatchObject({ code: CryptoAtRestErrorCode.KEY_NOT_FOUND, details: { kid: 'a' } });
  });

  it('re-encrypts rows under older keys and plain rows under the active key, so the old key can be removed', async () => {
    const plain = aDeadLetterRecord({ payload: PERSONAL });
    await new FailedMessageRepository(db, new DataKeys({ keys: {} })).store(readDeadLetterRecord(plain.record));
    const underA = aDeadLetterRecord({ payload: PERSONAL });
    await repository.store(readDeadLetterRecord(underA.record));
    await repository.saveEdit(underA.envelope.messageId, `${PERSONAL} `, ['unresolved'], edit);
    const b = randomBytes(32).toString('base64');
    const rotated = new FailedMessageRepository(db, new DataKeys({ keys: { a: KEY_A, b }, activeKeyId: 'b' }));
    expect(await rotated.reencryptPayloads(1)).toBe(1);
    expect(await rotated.reencryptPayloads(100)).toBe(1);
    expect(await rotated.reencryptPayloads(100)).toBe(0);
    const onlyB = new FailedMessageRepository(db, new DataKeys({ keys: { b }, activeKeyId: 'b' }));
    expect(await onlyB.find(plain.envelope.messageId)).toMatchObject({ payload: PERSONAL });
    expect(await onlyB.find(underA.envelope.messageId)).toMatchObject({ payload: PERSONAL, editedPayload: `${PERSONAL} ` });
    expect((await raw(underA.envelope.messageId)).edited_payload!.startsWith(`${SEALED_PREFIX}b:`)).toBe(true);
  });

  it('still reads a plain payload written before encryption at rest', async () => {
    const { envelope, record } = aDeadLetterRecord({ payload: PERSONAL });
    await new FailedMessageRepository(db, new DataKeys({ keys: {} })).store(readDeadLetterRecord(record));
    expect((await raw(envelope.messageId)).payload).toBe(PERSONAL);
    expect((await repository.find(envelope.messageId))?.payload).toBe(PERSONAL);
  });
});
