import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { PgDatabase } from '@korpu/store';
import { createTestDatabase, TestDatabase } from '@korpu/testing';
import { ensureDevPki } from '../../../certs-dev/dev-pki';
import { GENESIS_HASH } from './chain/record-hash';
import { PayloadCipher } from './crypto/payload-cipher';
import { MessageLog } from './message-log';
import { MessageLogRepository } from './message-log.repository';
import { migrate, resetLog, testEntry, testKey } from './testing/message-log-fixtures';
import { VerifyArchiveUseCase } from './verify-archive/verify-archive.usecase';
import { VerifyMessageLogUseCase } from './verify-message-log/verify-message-log.usecase';

const run = promisify(execFile);
const repoRoot = resolve(__dirname, '../../..');
const VERIFY_CLI = join(repoRoot, 'libs/message-log/src/cli/verify-message-log.cli.ts');
const ARCHIVE_CLI = join(repoRoot, 'libs/message-log/src/cli/archive-message-log.cli.ts');

async function cli(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['-r', '@swc-node/register', script, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('MessageLog on PostgreSQL', () => {
  let testDb: TestDatabase;
  let a: PgDatabase;
  let b: PgDatabase;
  let verify: VerifyMessageLogUseCase;

  beforeAll(async () => {
    const baseUrl = process.env.TEST_DATABASE_URL;
    if (!baseUrl) throw new Error('TEST_DATABASE_URL is not set: the integration global set-up starts PostgreSQL');
    testDb = await createTestDatabase(baseUrl);
    // Two pools stand for two app instances appending to the same log.
    a = new PgDatabase({ url: testDb.url, poolSize: 8, applicationName: 'message-log-a' });
    b = new PgDatabase({ url: testDb.url, poolSize: 8, applicationName: 'message-log-b' });
    await migrate(a);
    verify = new VerifyMessageLogUseCase(new MessageLogRepository(a));
  });

  beforeEach(async () => {
    await resetLog(a);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await testDb?.drop();
  });

  it('keeps one unbroken chain when two instances append concurrently', async () => {
    // Batching on (default) and off (every append its own transaction contending for the head row).
    const logs = [
      new MessageLog(new MessageLogRepository(a)),
      new MessageLog(new MessageLogRepository(b)),
      new MessageLog(new MessageLogRepository(a), undefined, { maxBatchSize: 1 }),
      new MessageLog(new MessageLogRepository(b), undefined, { maxBatchSize: 1 }),
    ];
    const records = await Promise.all(Array.from({ length: 400 }, (_, i) => logs[i % logs.length].append(testEntry())));
    const seqs = records.map((r) => r.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    const report = await verify.execute();
    expect(report).toMatchObject({ ok: true, checkedRecords: 400, head: { seq: 400 } });
  });

  it('detects a changed payload, a deleted row and swapped seqs, naming the first broken record', async () => {
    const log = new MessageLog(new MessageLogRepository(a));
    const records: { seq: number; messageId: string }[] = [];
    for (let i = 0; i < 10; i++) records.push(await log.append(testEntry()));
    const env = { DATABASE_URL: testDb.url };
    await expect(cli(VERIFY_CLI, [], env)).resolves.toMatchObject({ code: 0 });

    await a.query(`UPDATE message_log SET payload = '{"pin":"0000000"}' WHERE seq = 7`);
    await a.query('DELETE FROM message_log WHERE seq = 5');
    expect((await verify.execute()).break).toMatchObject({
      reason: 'missing-records',
      seq: 6,
      messageId: records[5].messageId,
    });
    const broken = await cli(VERIFY_CLI, [], env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`seq 6 (message ${records[5].messageId})`);

    await a.query('UPDATE message_log SET seq = -2 WHERE seq = 2');
    await a.query('UPDATE message_log SET seq = 2 WHERE seq = 3');
    await a.query('UPDATE message_log SET seq = 3 WHERE seq = -2');
    expect((await verify.execute()).break).toMatchObject({ seq: 2, messageId: records[2].messageId });
  });

  it('detects a payload changed in place', async () => {
    const log = new MessageLog(new MessageLogRepository(a));
    for (let i = 0; i < 3; i++) await log.append(testEntry());
    await a.query(`UPDATE message_log SET payload = '{"pin":"0000000"}' WHERE seq = 2`);
    expect((await verify.execute()).break).toMatchObject({ reason: 'hash-mismatch', seq: 2 });
  });

  it('archives across a cut with the CLI and verifies archives and table together', async () => {
    const out = await mkdtemp(join(tmpdir(), 'korpu-message-log-int-'));
    try {
      const pki = await ensureDevPki(join(tmpdir(), `korpu-message-log-test-pki-${process.env.JEST_WORKER_ID ?? '0'}`));
      const log = new MessageLog(new MessageLogRepository(b), new PayloadCipher({ k1: testKey() }, 'k1'));
      for (let i = 0; i < 6; i++) await log.append(testEntry());
      const env = { DATABASE_URL: testDb.url };
      const keyArgs = ['--key-file', pki.leaves['gateway-ec'].key, '--cert-file', pki.leaves['gateway-ec'].chain];

      const nothing = await cli(ARCHIVE_CLI, ['--older-than', '30', '--out', out, ...keyArgs], env);
      expect(nothing).toMatchObject({ code: 0 });
      expect(nothing.stderr).toContain('nothing to archive');

      const first = await cli(ARCHIVE_CLI, ['--older-than', '0', '--out', out, '--max-records', '4', ...keyArgs], env);
      expect(first.code).toBe(0);
      expect(first.stderr).toContain('archived 4 records (seq 1..4');
      await log.append(testEntry());
      expect((await a.query<{ n: number }>('SELECT count(*)::int AS n FROM message_log')).rows[0].n).toBe(3);
      await expect(verify.execute()).resolves.toMatchObject({
        ok: true,
        archives: 1,
        start: { seq: 4 },
        checkedRecords: 3,
      });

      const second = await cli(ARCHIVE_CLI, ['--older-than', '0', '--out', out, ...keyArgs], env);
      expect(second.stderr).toContain('archived 3 records (seq 5..7');
      const verified = await cli(VERIFY_CLI, ['--archives', out], env);
      expect(verified.code).toBe(0);
      expect(verified.stderr).toContain('archives intact: 2 file(s)');

      const files = await new VerifyArchiveUseCase().verifyDirectory(out);
      expect(files).toMatchObject({ ok: true, end: { seq: 7 } });
      expect(files.files.map((f) => f.manifest?.firstPrevHash)[0]).toBe(GENESIS_HASH);

      // Deleting the row after the cut is caught at the archive boundary.
      await log.append(testEntry());
      await log.append(testEntry());
      await a.query('DELETE FROM message_log WHERE seq = 8');
      expect((await verify.execute()).break).toMatchObject({ reason: 'missing-records', seq: 9 });
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('round-trips encrypted payloads and verifies the chain without the key', async () => {
    const keys = { k1: testKey(), k2: testKey() };
    const before = new MessageLog(new MessageLogRepository(a), new PayloadCipher(keys, 'k1'));
    const after = new MessageLog(new MessageLogRepository(b), new PayloadCipher(keys, 'k2'));
    const e1 = testEntry({ payload: '{"pin":"5ABC123"}' });
    const e2 = testEntry({ payload: '<person><pin>5ABC124</pin></person>', contentType: 'application/xml' });
    await before.append(e1);
    await after.append(e2);
    const stored = await a.query<{ payload: string; payload_key_id: string }>(
      'SELECT payload, payload_key_id FROM message_log ORDER BY seq',
    );
    expect(stored.rows.map((r) => r.payload_key_id)).toEqual(['k1', 'k2']);
    expect(stored.rows.every((r) => !r.payload.includes('5ABC12'))).toBe(true);
    const read = await after.read();
    expect(read.map((r) => r.payload)).toEqual([e1.payload, e2.payload]);
    const keyless = new MessageLog(new MessageLogRepository(a));
    expect((await keyless.read()).map((r) => r.payload)).toEqual([null, null]);
    await expect(verify.execute()).resolves.toMatchObject({ ok: true, checkedRecords: 2 });
    await expect(cli(VERIFY_CLI, [], { DATABASE_URL: testDb.url })).resolves.toMatchObject({ code: 0 });
  });

  it('stores a record\'s sealed payload, signature and certificate out of line as they are, and reads and verifies them', async () => {
    // Ciphertext, base64 of signed bytes and of certificates do not compress: no compression is attempted on them.
    const { rows: storage } = await a.query<{ attname: string; attstorage: string }>(
      `SELECT attname, attstorage FROM pg_attribute WHERE attrelid = 'message_log'::regclass
          AND attname IN ('payload', 'signature_value', 'signer_certificate') ORDER BY attname`,
    );
    expect(storage).toEqual([
      { attname: 'payload', attstorage: 'e' },
      { attname: 'signature_value', attstorage: 'e' },
      { attname: 'signer_certificate', attstorage: 'e' },
    ]);
    const log = new MessageLog(new MessageLogRepository(a), new PayloadCipher({ k1: testKey() }, 'k1'));
    const signature = { format: 'jws' as const, value: `${'h'.repeat(3900)}..${'s'.repeat(342)}`, verification: 'verified' as const, certificate: `-----BEGIN CERTIFICATE-----\n${'c'.repeat(1400)}\n-----END CERTIFICATE-----\n` };
    const entry = testEntry({ payload: JSON.stringify({ pin: '5ABC123', filler: 'x'.repeat(2000) }), signature });
    await log.append(entry);
    const [record] = await log.read();
    expect(record.payload).toBe(entry.payload);
    expect([record.signatureValue, record.signerCertificate]).toEqual([signature.value, signature.certificate]);
    // Out of line and not compressed: the row holds a pointer, the stored value is as long as the text.
    const { rows } = await a.query<{ stored: number; length: number }>(
      `SELECT pg_column_size(signature_value) AS stored, octet_length(signature_value) AS length FROM message_log`,
    );
    expect(rows[0].stored).toBeGreaterThanOrEqual(rows[0].length);
    await expect(verify.execute()).resolves.toMatchObject({ ok: true, checkedRecords: 1 });
  });
});
