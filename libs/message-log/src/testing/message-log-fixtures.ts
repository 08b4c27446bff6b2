/** Test-only helpers (not exported from the lib): entries, a migrated database, a signing key from the dev PKI. */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevPki } from '../../../../certs-dev/dev-pki';
import { KeyMaterialRepository, KeyRing } from '@korpu/signature';
import { Database, loadMigrations, MigrationRunner } from '@korpu/store';
import { LogEntry, LogEvent } from '../log-record';
import { MESSAGE_LOG_MIGRATIONS } from '../message-log.module';

let counter = 0;

export function testEntry(overrides: Partial<LogEntry> = {}): LogEntry {
  counter++;
  const id = `01JTEST${String(counter).padStart(19, '0')}`;
  return {
    event: LogEvent.RECEIVED,
    messageId: id,
    correlationId: id,
    direction: 'outbound',
    client: 'MLSP/pensions',
    service: 'population-registry/getPerson',
    messageType: 'GetPersonRequest',
    schemaVersion: '1.0',
    contentType: 'application/json',
    payload: JSON.stringify({ pin: '5ABC123', n: counter }),
    ...overrides,
  };
}

/** A JSON payload of about `bytes` bytes. */
export function payloadOf(bytes: number): string {
  const filler = 'x'.repeat(Math.max(0, bytes - 60));
  return JSON.stringify({ pin: '5ABC123', name: 'Aysel Mammadova', filler });
}

export async function migrate(db: Database): Promise<void> {
  await new MigrationRunner(db).run(loadMigrations([MESSAGE_LOG_MIGRATIONS]));
}

/** Empties the log (records, archives, head) so that each test starts a new chain on a shared database. */
export async function resetLog(db: Database): Promise<void> {
  await db.execScript(`TRUNCATE message_log, message_log_archives;
    UPDATE message_log_head SET seq = 0, hash = repeat('0', 64) WHERE id;`);
}

export const testKey = (): string => randomBytes(32).toString('base64');

/** A KeyRing with the dev PKI's gateway signing key (`gateway-ec` or `gateway-rsa`). */
export async function testKeyRing(leaf: 'gateway-ec' | 'gateway-rsa' = 'gateway-ec'): Promise<KeyRing> {
  const worker = process.env.JEST_WORKER_ID ?? '0';
  const pki = await ensureDevPki(join(tmpdir(), `korpu-message-log-test-pki-${worker}`));
  const material = new KeyMaterialRepository().loadSigningKey({
    certFile: pki.leaves[leaf].chain,
    keyFile: pki.leaves[leaf].key,
  });
  return new KeyRing([material]);
}
