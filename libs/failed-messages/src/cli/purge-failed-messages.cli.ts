/**
 * Retention of failed messages, run by hand or from cron (the gateway's worker also runs it every
 * FAILED_PURGE_INTERVAL_MS): removes resolved and archived messages older than FAILED_RETENTION_RESOLVED_DAYS and
 * discarded ones older than FAILED_RETENTION_DISCARDED_DAYS, leaving a row per message in failed_message_purges and
 * one audit entry under the operator given.
 *
 *   node -r @swc-node/register libs/failed-messages/src/cli/purge-failed-messages.cli.ts --operator <name>
 *
 * Environment: DATABASE_URL (or PGLITE_DATA_DIR), FAILED_RETENTION_*; prints the run as JSON.
 * Exit 0: done. Exit 2: bad usage or configuration.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { EnvReader } from '@korpu/config';
import { DataKeys } from '@korpu/crypto-at-rest';
import { createDatabase, readDatabaseOptions } from '@korpu/store';
import { AuditTrail } from '../audit/audit-trail.repository';
import { SystemClock } from '../clock';
import { readReplayJobOptions } from '../failed-messages.config';
import { FailedMessageRepository } from '../failed-message.repository';
import { PurgeFailedMessagesCommand } from '../purge-failed-messages/purge-failed-messages.command';
import { PurgeFailedMessagesUseCase } from '../purge-failed-messages/purge-failed-messages.usecase';

const USAGE = 'usage: purge-failed-messages.cli.ts --operator <name>';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { operator: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.operator) {
    console.error(USAGE);
    return 2;
  }
  const read = new EnvReader(process.env);
  const database = readDatabaseOptions(read, path.resolve(__dirname, '../../../..'), 'korpu-purge-failed-messages');
  const jobs = readReplayJobOptions(read, 'purge-cli');
  read.done();
  const db = await createDatabase({ ...database, poolSize: 2 });
  try {
    // The purge reads no payload: no data key is needed.
    const purge = new PurgeFailedMessagesUseCase(new FailedMessageRepository(db, new DataKeys({ keys: {} })), new AuditTrail(db), new SystemClock(), { jobs });
    const result = await purge.execute(PurgeFailedMessagesCommand.create({ operator: values.operator }));
    console.log(JSON.stringify(result));
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  },
);
