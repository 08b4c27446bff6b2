import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { DataKeys } from '@korpu/crypto-at-rest';
import { Database, MigrationRunner, PgDatabase, loadMigrations } from '@korpu/store';
import { TestDatabase, createTestDatabase, repoRoot } from '@korpu/testing';
import { OPERATORS_MIGRATIONS } from '@korpu/operators';
import { TRACKING_MIGRATIONS } from '@korpu/tracking';
import { aDeadLetterRecord } from '../../test/dead-letter-fixtures';
import { readDeadLetterRecord } from '../dead-letter-record';
import { FailedMessageRepository } from '../failed-message.repository';
import { FAILED_MESSAGES_MIGRATIONS } from '../failed-messages.module';

const run = promisify(execFile);
let testDb: TestDatabase;
let db: Database;

beforeAll(async () => {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set: run through the integration project (global set-up)');
  testDb = await createTestDatabase(base);
  db = new PgDatabase({ url: testDb.url });
  await new MigrationRunner(db).run(loadMigrations([TRACKING_MIGRATIONS, FAILED_MESSAGES_MIGRATIONS, OPERATORS_MIGRATIONS]));
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

describe('npm run failed-messages:purge (real PostgreSQL)', () => {
  it('purges what is past retention, leaves a trace of each and an audit entry under the operator given', async () => {
    const messages = new FailedMessageRepository(db, new DataKeys({ keys: { a: randomBytes(32).toString('base64') }, activeKeyId: 'a' }));
    const old = aDeadLetterRecord({ failedAt: new Date(Date.now() - 10 * 86_400_000) });
    const recent = aDeadLetterRecord();
    for (const fixture of [old, recent]) await messages.store(readDeadLetterRecord(fixture.record));
    await messages.changeStatus(old.envelope.messageId, 'resolved', ['unresolved'], { operator: 'aysel', at: new Date(Date.now() - 3 * 86_400_000) });
    await messages.changeStatus(recent.envelope.messageId, 'resolved', ['unresolved'], { operator: 'aysel', at: new Date() });

    const { stdout } = await run(
      process.execPath,
      ['-r', '@swc-node/register', path.join(repoRoot, 'libs/failed-messages/src/cli/purge-failed-messages.cli.ts'), '--operator', 'cron-retention'],
      { cwd: repoRoot, env: { ...process.env, DATABASE_URL: testDb.url, FAILED_RETENTION_RESOLVED_DAYS: '2' } },
    );

    expect(JSON.parse(stdout.trim().split('\n').pop() as string)).toMatchObject({ purged: 1 });
    expect(await messages.find(old.envelope.messageId)).toBeUndefined();
    expect(await messages.find(recent.envelope.messageId)).toBeDefined();
    const trace = await db.query(`SELECT message_id, status FROM failed_message_purges`);
    expect(trace.rows).toEqual([{ message_id: old.envelope.messageId, status: 'resolved' }]);
    const audit = await db.query(`SELECT operator, action FROM audit_trail WHERE action = 'purge'`);
    expect(audit.rows).toEqual([{ operator: 'cron-retention', action: 'purge' }]);
  });
});
