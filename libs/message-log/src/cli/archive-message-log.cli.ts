/**
 * Retention: moves message log records older than N days into a signed archive (gzip JSON Lines + manifest) and
 * deletes them from the table in the transaction that records the archive.
 *
 *   node -r @swc-node/register libs/message-log/src/cli/archive-message-log.cli.ts --older-than <days> --out <dir>
 *        [--max-records <n>] [--key-file <pem> --cert-file <pem> | --p12-file <file>] [--kid <kid>]
 *
 * Environment: DATABASE_URL (or PGLITE_DATA_DIR); the signing key may also come from MESSAGE_LOG_ARCHIVE_KEY_FILE +
 * MESSAGE_LOG_ARCHIVE_CERT_FILE or MESSAGE_LOG_ARCHIVE_P12_FILE; a PKCS#12 password only from MESSAGE_LOG_ARCHIVE_P12_PASSWORD.
 * Exit 0: archived (or nothing old enough). Exit 1: refused (broken chain, conflict). Exit 2: bad usage or failure.
 */
import { parseArgs } from 'node:util';
import { KeyMaterialRepository, KeyRing } from '@korpu/signature';
import { createDatabase } from '@korpu/store';
import { ArchiveMessageLogCommand } from '../archive-message-log/archive-message-log.command';
import { ArchiveMessageLogUseCase } from '../archive-message-log/archive-message-log.usecase';
import { MessageLogErrorCode } from '../message-log-error-code';
import { MessageLogException } from '../message-log.exception';
import { MessageLogRepository } from '../message-log.repository';
import { runCli } from '@korpu/platform';

const USAGE =
  'usage: archive-message-log.cli.ts --older-than <days> --out <dir> [--max-records <n>] ' +
  '[--key-file <pem> --cert-file <pem> | --p12-file <file>] [--kid <kid>]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'older-than': { type: 'string' },
      out: { type: 'string' },
      'max-records': { type: 'string' },
      'key-file': { type: 'string' },
      'cert-file': { type: 'string' },
      'p12-file': { type: 'string' },
      kid: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values['older-than'] === undefined || !values.out) {
    console.error(USAGE);
    return 2;
  }
  const env = process.env;
  const command = new ArchiveMessageLogCommand(
    Number(values['older-than']),
    values.out,
    new Date(),
    values['max-records'] === undefined ? undefined : Number(values['max-records']),
  );
  const keyFile = values['key-file'] ?? env.MESSAGE_LOG_ARCHIVE_KEY_FILE;
  const certFile = values['cert-file'] ?? env.MESSAGE_LOG_ARCHIVE_CERT_FILE;
  const p12File = values['p12-file'] ?? env.MESSAGE_LOG_ARCHIVE_P12_FILE;
  const keys = new KeyMaterialRepository();
  const material = p12File
    ? keys.loadSigningKey({
        pkcs12File: p12File,
        password: env.MESSAGE_LOG_ARCHIVE_P12_PASSWORD ?? '',
        kid: values.kid,
      })
    : keyFile && certFile
      ? keys.loadSigningKey({ keyFile, certFile, kid: values.kid })
      : undefined;
  if (!material) {
    console.error(`a signing key is required (--key-file + --cert-file, or --p12-file)\n${USAGE}`);
    return 2;
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  const pgliteDataDir = env.PGLITE_DATA_DIR || undefined;
  if (!databaseUrl && !pgliteDataDir) throw new Error('set DATABASE_URL (or PGLITE_DATA_DIR)');
  const db = await createDatabase({
    databaseUrl,
    pgliteDataDir,
    poolSize: 2,
    applicationName: 'korpu-archive-message-log',
  });
  try {
    const useCase = new ArchiveMessageLogUseCase(new MessageLogRepository(db), new KeyRing([material]));
    const result = await useCase.execute(command);
    if (!result) {
      console.error(`nothing to archive: no record logged before ${command.cutBefore.toISOString()}`);
      return 0;
    }
    const m = result.manifest;
    console.error(
      `archived ${m.recordCount} records (seq ${m.firstSeq}..${m.lastSeq}, logged ${m.firstLoggedAt}..${m.lastLoggedAt})`,
    );
    console.log(result.dataFile);
    console.log(result.manifestFile);
    return 0;
  } catch (error) {
    if (
      error instanceof MessageLogException &&
      (error.code === MessageLogErrorCode.CHAIN_BROKEN || error.code === MessageLogErrorCode.ARCHIVE_CONFLICT)
    ) {
      console.error(`archive-message-log: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await db.close();
  }
}

runCli('archive-message-log', main);
