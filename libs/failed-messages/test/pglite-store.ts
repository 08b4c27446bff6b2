import { randomBytes } from 'node:crypto';
import { DataKeys } from '@korpu/crypto-at-rest';
import { Database, MigrationRunner, PgliteDatabase, loadMigrations } from '@korpu/store';
import { OPERATORS_MIGRATIONS } from '@korpu/operators';
import { TRACKING_MIGRATIONS } from '@korpu/tracking';
import { AuditTrail } from '../src/audit/audit-trail.repository';
import { FailedMessageRepository } from '../src/failed-message.repository';
import { FAILED_MESSAGES_MIGRATIONS } from '../src/failed-messages.module';
import { ReplayJobRepository } from '../src/replay-job.repository';

export interface PgliteStore {
  db: Database;
  messages: FailedMessageRepository;
  jobs: ReplayJobRepository;
  audit: AuditTrail;
}

/** An in-process PGlite with this lib's migrations and its repositories, for the specs of the SQL-backed use cases. */
export async function openPgliteStore(): Promise<PgliteStore> {
  const db = await PgliteDatabase.open();
  await new MigrationRunner(db).run(loadMigrations([TRACKING_MIGRATIONS, FAILED_MESSAGES_MIGRATIONS, OPERATORS_MIGRATIONS]));
  return {
    db,
    messages: new FailedMessageRepository(db, new DataKeys({ keys: { a: randomBytes(32).toString('base64') }, activeKeyId: 'a' })),
    jobs: new ReplayJobRepository(db),
    audit: new AuditTrail(db),
  };
}
