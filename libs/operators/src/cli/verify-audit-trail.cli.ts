/**
 * Verifies the operators' audit trail: every entry's hash and link from seq 1, and the chain head.
 *
 *   npm run audit:verify [-- --json]
 *
 * Environment: DATABASE_URL (or PGLITE_DATA_DIR for an embedded database).
 * Exit 0: intact. Exit 1: broken, naming the first broken entry (seq). Exit 2: could not verify.
 */
import { parseArgs } from 'node:util';
import { createDatabase } from '@korpu/store';
import { AuditTrail } from '../audit/audit-trail.repository';
import { VerifyAuditTrailUseCase } from '../verify-audit-trail/verify-audit-trail.usecase';
import { runCli } from '@korpu/platform';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log('usage: npm run audit:verify [-- --json]   (DATABASE_URL must be set)');
    return 0;
  }
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const pgliteDataDir = process.env.PGLITE_DATA_DIR || undefined;
  if (!databaseUrl && !pgliteDataDir) throw new Error('set DATABASE_URL (or PGLITE_DATA_DIR)');
  const db = await createDatabase({ databaseUrl, pgliteDataDir, poolSize: 2, applicationName: 'korpu-verify-audit-trail' });
  try {
    const report = await new VerifyAuditTrailUseCase(new AuditTrail(db)).execute();
    if (values.json) console.log(JSON.stringify(report, null, 2));
    if (report.break) {
      console.error(`audit trail BROKEN at seq ${report.break.seq}: ${report.break.reason}: ${report.break.message}`);
      return 1;
    }
    console.error(`audit trail intact: ${report.checkedRecords} entries (seq 1..${report.head.seq}); head ${report.head.hash}`);
    return 0;
  } finally {
    await db.close();
  }
}

runCli('verify-audit-trail', main);
