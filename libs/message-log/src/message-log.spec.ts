import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PgliteDatabase } from '@korpu/store';
import { ArchiveMessageLogCommand } from './archive-message-log/archive-message-log.command';
import { ArchiveMessageLogUseCase } from './archive-message-log/archive-message-log.usecase';
import { GENESIS_HASH } from './chain/record-hash';
import { PayloadCipher } from './crypto/payload-cipher';
import { LogEvent } from './log-record';
import { MessageLog } from './message-log';
import { MessageLogErrorCode } from './message-log-error-code';
import { MessageLogRepository } from './message-log.repository';
import { migrate, resetLog, testEntry, testKey, testKeyRing } from './testing/message-log-fixtures';
import { VerifyArchiveUseCase } from './verify-archive/verify-archive.usecase';
import { VerifyMessageLogUseCase } from './verify-message-log/verify-message-log.usecase';

describe('MessageLog on PGlite', () => {
  let db: PgliteDatabase;
  let repository: MessageLogRepository;
  let verify: VerifyMessageLogUseCase;

  beforeAll(async () => {
    db = await PgliteDatabase.open();
    await migrate(db);
    repository = new MessageLogRepository(db);
    verify = new VerifyMessageLogUseCase(repository);
  });

  beforeEach(async () => {
    await resetLog(db);
  });

  afterAll(async () => {
    await db.close();
  });

  it('appends records with consecutive seqs chained from the genesis hash, and reads them back', async () => {
    const log = new MessageLog(repository);
    const first = await log.append(
      testEntry({ signature: { format: 'jws', value: 'eyJ..sig', verification: 'verified' } }),
    );
    const second = await log.append(
      testEntry({ event: LogEvent.FAILED, detail: { code: 'DELIVERY_TIMEOUT', attempt: 3 } }),
    );
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, signatureVerification: 'verified' });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash, event: 'failed' });
    expect(await log.findByMessageId(first.messageId)).toEqual([first]);
    const [read] = await log.read({ event: LogEvent.FAILED });
    expect(read).toEqual(second);
    await expect(verify.execute()).resolves.toMatchObject({
      ok: true,
      checkedRecords: 2,
      head: { seq: 2, hash: second.hash },
    });
  });

  it('chains appends made at the same time into one unbroken chain, several per transaction', async () => {
    const log = new MessageLog(repository, undefined, { maxBatchSize: 16 });
    const spy = jest.spyOn(repository, 'appendBatch');
    const records = await Promise.all(Array.from({ length: 100 }, () => log.append(testEntry())));
    expect(records.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(spy.mock.calls.length).toBeLessThan(100);
    await expect(verify.execute()).resolves.toMatchObject({ ok: true, checkedRecords: 100 });
  });

  it('refuses an entry without its required fields or with an unparsable timestamp', async () => {
    const log = new MessageLog(repository);
    await expect(log.append({ ...testEntry(), messageId: '' })).rejects.toMatchObject({
      code: MessageLogErrorCode.ENTRY_INVALID,
    });
    await expect(log.append(testEntry({ occurredAt: 'yesterday' }))).rejects.toMatchObject({
      code: MessageLogErrorCode.ENTRY_INVALID,
    });
  });

  it('logs text with lone UTF-16 surrogates as UTF-8 stores it (U+FFFD), in one batch with others, and verifies the chain', async () => {
    // A JSON "\ud800" parsed into a string: the hashed text once escaped it while the stored text held U+FFFD (the
    // chain read as broken), and jsonb refused it in a detail (the append of the whole batch failed).
    const log = new MessageLog(repository);
    const lone = testEntry({ payload: '{"name":"A\ud800ysel"}', detail: { message: 'partner said \udc00', ['k\ud800']: ['\udbff'] } });
    const [odd, plain] = await Promise.all([log.append(lone), log.append(testEntry())]);
    expect(plain.seq).toBe(odd.seq + 1);
    const [stored] = await log.findByMessageId(lone.messageId);
    expect(stored.payload).toBe('{"name":"A\ufffdysel"}');
    expect(stored.detail).toEqual({ message: 'partner said \ufffd', ['k\ufffd']: ['\ufffd'] });
    // A well-formed pair is kept as it is.
    const pair = await log.append(testEntry({ payload: '{"name":"\ud83d\ude00"}' }));
    expect((await log.findByMessageId(pair.messageId))[0].payload).toBe('{"name":"😀"}');
    await expect(verify.execute()).resolves.toMatchObject({ ok: true, checkedRecords: 3 });
  });

  it('stores encrypted payloads as ciphertext, decrypts them with the key and verifies without it', async () => {
    const keys = { k1: testKey() };
    const log = new MessageLog(repository, new PayloadCipher(keys, 'k1'));
    const entry = testEntry({ payload: '{"pin":"5ABC123","name":"Aysel"}' });
    const written = await log.append(entry);
    expect(written).toMatchObject({ payload: entry.payload, payloadKeyId: 'k1' });
    const stored = await db.query<{ payload: string }>('SELECT payload FROM message_log WHERE seq = 1');
    expect(stored.rows[0].payload).not.toContain('5ABC123');
    expect((await log.findByMessageId(entry.messageId))[0].payload).toBe(entry.payload);
    const withoutKey = await new MessageLog(repository).findByMessageId(entry.messageId);
    expect(withoutKey[0]).toMatchObject({
      payload: null,
      encryptedPayload: stored.rows[0].payload,
      payloadKeyId: 'k1',
    });
    await expect(verify.execute()).resolves.toMatchObject({ ok: true, checkedRecords: 1 });
    expect((await log.append(testEntry({ encrypt: false, payload: 'clear' }))).payloadKeyId).toBeNull();
  });

  describe('tampering', () => {
    beforeEach(async () => {
      const log = new MessageLog(repository);
      for (let i = 0; i < 6; i++) await log.append(testEntry());
    });

    const messageIdOf = async (seq: number): Promise<string> =>
      (await db.query<{ message_id: string }>('SELECT message_id FROM message_log WHERE seq = $1', [seq])).rows[0]
        .message_id;

    it('names the record whose payload was changed', async () => {
      const id = await messageIdOf(3);
      await db.query(`UPDATE message_log SET payload = '{"pin":"0000000"}' WHERE seq = 3`);
      await expect(verify.execute()).resolves.toMatchObject({
        ok: false,
        break: { reason: 'hash-mismatch', seq: 3, messageId: id },
      });
    });

    it('names the record after a deleted one', async () => {
      await db.query('DELETE FROM message_log WHERE seq = 4');
      await expect(verify.execute()).resolves.toMatchObject({
        ok: false,
        break: { reason: 'missing-records', seq: 5 },
      });
    });

    it('detects the last record deleted through the chain head', async () => {
      await db.query('DELETE FROM message_log WHERE seq = 6');
      await expect(verify.execute()).resolves.toMatchObject({ ok: false, break: { reason: 'head-mismatch', seq: 5 } });
    });

    it('detects two records whose seqs were swapped', async () => {
      await db.query('UPDATE message_log SET seq = -2 WHERE seq = 2');
      await db.query('UPDATE message_log SET seq = 2 WHERE seq = 3');
      await db.query('UPDATE message_log SET seq = 3 WHERE seq = -2');
      await expect(verify.execute()).resolves.toMatchObject({ ok: false, break: { seq: 2 } });
    });

    it('makes assertIntact throw CHAIN_BROKEN with the seq', async () => {
      await db.query(`UPDATE message_log SET hash = repeat('a', 64) WHERE seq = 2`);
      await expect(verify.assertIntact()).rejects.toMatchObject({
        code: MessageLogErrorCode.CHAIN_BROKEN,
        details: expect.objectContaining({ seq: 2 }),
      });
    });
  });

  describe('archive', () => {
    let out: string;

    beforeEach(async () => {
      out = await mkdtemp(join(tmpdir(), 'korpu-message-log-archive-'));
    });

    afterEach(async () => {
      await rm(out, { recursive: true, force: true });
    });

    it('moves old records into a signed archive that links to the rest of the table', async () => {
      const keyRing = await testKeyRing();
      const log = new MessageLog(repository, new PayloadCipher({ k1: testKey() }, 'k1'));
      for (let i = 0; i < 5; i++) await log.append(testEntry());
      await db.query(`UPDATE message_log SET logged_at = logged_at - interval '40 days' WHERE seq <= 3`);
      // logged_at is hashed: re-chain the back-dated records so the fixture is a valid old log.
      await rechain(db);
      const archiver = new ArchiveMessageLogUseCase(repository, keyRing);
      const result = await archiver.execute(new ArchiveMessageLogCommand(30, out));
      expect(result?.manifest).toMatchObject({ firstSeq: 1, lastSeq: 3, recordCount: 3, firstPrevHash: GENESIS_HASH });
      expect((await db.query('SELECT seq FROM message_log ORDER BY seq')).rows).toEqual([{ seq: '4' }, { seq: '5' }]);
      await expect(verify.execute()).resolves.toMatchObject({
        ok: true,
        archives: 1,
        checkedRecords: 2,
        start: { seq: 3 },
      });

      const archives = new VerifyArchiveUseCase();
      await expect(archives.verifyFile(result!.manifestFile)).resolves.toMatchObject({ ok: true });
      const [next] = await repository.read({});
      await expect(
        archives.verifyDirectory(out, { next: { seq: next.seq, prevHash: next.prevHash } }),
      ).resolves.toMatchObject({
        ok: true,
        end: { seq: 3 },
      });
      expect(await archiver.execute(new ArchiveMessageLogCommand(30, out))).toBeUndefined();

      // A later archive continues the first one.
      await db.query(`UPDATE message_log SET logged_at = logged_at - interval '40 days'`);
      await rechain(db);
      const second = await archiver.execute(new ArchiveMessageLogCommand(30, out));
      expect(second?.manifest).toMatchObject({ firstSeq: 4, lastSeq: 5, firstPrevHash: result!.manifest.lastHash });
      await expect(verify.execute()).resolves.toMatchObject({
        ok: true,
        archives: 2,
        checkedRecords: 0,
        head: { seq: 5 },
      });
      await expect(archives.verifyDirectory(out)).resolves.toMatchObject({ ok: true, end: { seq: 5 } });
      const appended = await log.append(testEntry());
      expect(appended).toMatchObject({ seq: 6, prevHash: second!.manifest.lastHash });
      await expect(verify.execute()).resolves.toMatchObject({ ok: true, checkedRecords: 1 });
    });

    it('detects a record changed inside an archive file even when the file hash is re-signed away', async () => {
      const keyRing = await testKeyRing('gateway-rsa');
      const log = new MessageLog(repository);
      for (let i = 0; i < 4; i++) await log.append(testEntry());
      const result = await new ArchiveMessageLogUseCase(repository, keyRing).execute(
        new ArchiveMessageLogCommand(0, out, new Date(Date.now() + 1000)),
      );
      expect(result?.manifest.recordCount).toBe(4);
      const lines = gunzipSync(await readFile(result!.dataFile))
        .toString('utf8')
        .trim()
        .split('\n');
      const second = JSON.parse(lines[1]);
      lines[1] = JSON.stringify({ ...second, payload: '{"forged":true}' });
      await writeFile(result!.dataFile, gzipSync(`${lines.join('\n')}\n`));
      await expect(new VerifyArchiveUseCase().verifyFile(result!.manifestFile)).resolves.toMatchObject({
        ok: false,
        problem: { reason: 'file-changed' },
      });
      const signed = JSON.parse(await readFile(result!.manifestFile, 'utf8'));
      signed.manifest.fileSha256 = await new (
        await import('./archive/archive-file.repository')
      ).ArchiveFileRepository().sha256(result!.dataFile);
      await writeFile(result!.manifestFile, JSON.stringify(signed));
      await expect(new VerifyArchiveUseCase().verifyFile(result!.manifestFile)).resolves.toMatchObject({
        ok: false,
        problem: { reason: 'signature-invalid' },
      });
    });

    it('refuses to archive a broken log and writes nothing', async () => {
      const log = new MessageLog(repository);
      for (let i = 0; i < 3; i++) await log.append(testEntry());
      await db.query(`UPDATE message_log SET client = 'someone-else' WHERE seq = 2`);
      const archiver = new ArchiveMessageLogUseCase(repository, await testKeyRing());
      await expect(
        archiver.execute(new ArchiveMessageLogCommand(0, out, new Date(Date.now() + 1000))),
      ).rejects.toMatchObject({
        code: MessageLogErrorCode.CHAIN_BROKEN,
        details: expect.objectContaining({ seq: 2 }),
      });
      expect((await db.query('SELECT count(*)::int AS n FROM message_log')).rows[0]).toEqual({ n: 3 });
      expect(await new VerifyArchiveUseCase().verifyDirectory(out)).toMatchObject({ ok: true, files: [] });
    });
  });
});

/** Recomputes the chain of the whole table and the head (test fixture for back-dated records). */
async function rechain(db: PgliteDatabase): Promise<void> {
  const { recordHash } = await import('./chain/record-hash');
  const repository = new MessageLogRepository(db);
  const latest = await repository.latestArchive();
  let prev = latest?.lastHash ?? GENESIS_HASH;
  for (const record of await repository.read({ limit: 1000 })) {
    const hash = recordHash(prev, record);
    await db.query('UPDATE message_log SET prev_hash = $1, hash = $2 WHERE seq = $3', [prev, hash, record.seq]);
    prev = hash;
  }
  await db.query('UPDATE message_log_head SET hash = $1 WHERE id', [prev]);
}
