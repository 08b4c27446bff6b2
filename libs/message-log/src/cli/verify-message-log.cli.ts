/**
 * Verifies the message log's hash chain: the archives recorded in the database (signed manifests, linkage),
 * every record of the table and the chain head. Needs no decryption key.
 *
 *   node -r @swc-node/register libs/message-log/src/cli/verify-message-log.cli.ts [--archives <dir>] [--json]
 *
 * --archives <dir>  also verify the archive files of a folder (signature, sha256, internal chain) and that
 *                   they link to each other and to where the table starts.
 * Environment: DATABASE_URL (or PGLITE_DATA_DIR for an embedded database).
 * Exit 0: intact. Exit 1: broken, naming the first broken record (seq and message id). Exit 2: could not verify.
 */
import { parseArgs } from 'node:util';
import { createDatabase } from '@korpu/store';
import { ArchiveFileRepository } from '../archive/archive-file.repository';
import { MessageLogRepository } from '../message-log.repository';
import { VerifyArchiveUseCase } from '../verify-archive/verify-archive.usecase';
import { VerifyMessageLogUseCase } from '../verify-message-log/verify-message-log.usecase';
import { runCli } from '@korpu/platform';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { archives: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log('usage: verify-message-log.cli.ts [--archives <dir>] [--json]   (DATABASE_URL must be set)');
    return 0;
  }
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const pgliteDataDir = process.env.PGLITE_DATA_DIR || undefined;
  if (!databaseUrl && !pgliteDataDir) throw new Error('set DATABASE_URL (or PGLITE_DATA_DIR)');
  const db = await createDatabase({
    databaseUrl,
    pgliteDataDir,
    poolSize: 2,
    applicationName: 'korpu-verify-message-log',
  });
  try {
    const report = await new VerifyMessageLogUseCase(new MessageLogRepository(db)).execute();
    if (values.json) console.log(JSON.stringify(report, null, 2));
    if (report.break) {
      const b = report.break;
      console.error(
        `message log BROKEN at seq ${b.seq}${b.messageId ? ` (message ${b.messageId})` : ''}: ${b.reason}: ${b.message}`,
      );
      return 1;
    }
    console.error(
      `message log intact: ${report.checkedRecords} records (seq ${report.start.seq + 1}..${report.head.seq}) ` +
        `after ${report.archives} archive(s); head ${report.head.hash}`,
    );
    if (values.archives) {
      const files = await new VerifyArchiveUseCase().verifyDirectory(values.archives, {
        start: await firstArchiveStart(values.archives),
      });
      const problem =
        files.problem ??
        (files.files.length && (files.end.seq !== report.start.seq || files.end.hash !== report.start.hash)
          ? {
              seq: files.end.seq,
              messageId: undefined,
              message: `the newest archive file ends at seq ${files.end.seq}, the database's newest archive at seq ${report.start.seq}`,
            }
          : undefined);
      if (problem) {
        console.error(
          `archives BROKEN at seq ${problem.seq ?? '?'}${problem.messageId ? ` (message ${problem.messageId})` : ''}: ${problem.message}`,
        );
        return 1;
      }
      console.error(`archives intact: ${files.files.length} file(s) in ${values.archives}, linked to the table`);
    }
    return 0;
  } finally {
    await db.close();
  }
}

/** Archive folders may hold only the newer archives (older ones moved away): start where the oldest file starts. */
async function firstArchiveStart(dir: string): Promise<{ seq: number; hash: string } | undefined> {
  const files = new ArchiveFileRepository();
  let start: { seq: number; hash: string } | undefined;
  for (const file of await files.listManifests(dir)) {
    try {
      const { manifest } = await files.readManifest(file);
      if (!start || manifest.firstSeq - 1 < start.seq)
        start = { seq: manifest.firstSeq - 1, hash: manifest.firstPrevHash };
    } catch {
      // an unreadable manifest is reported by verifyDirectory
    }
  }
  return start;
}

runCli('verify-message-log', main);
