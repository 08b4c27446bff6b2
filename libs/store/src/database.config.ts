import * as path from 'node:path';
import { EnvReader } from '@korpu/config';
import type { DatabaseConnectionOptions } from './create-database';

/** DATABASE_URL (PostgreSQL), else embedded PGlite in PGLITE_DATA_DIR (one process only); DATABASE_POOL_SIZE. */
export function readDatabaseOptions(read: EnvReader, repoRoot: string, applicationName: string): DatabaseConnectionOptions {
  return {
    databaseUrl: read.url('DATABASE_URL'),
    pgliteDataDir: read.string('PGLITE_DATA_DIR', path.join(repoRoot, '.local/pglite')),
    poolSize: read.int('DATABASE_POOL_SIZE', 10, { min: 1, max: 200 }),
    applicationName,
  };
}
