import { Database, QueryObserver } from './database';
import { PgDatabase } from './pg-database.adapter';
import { PgliteDatabase } from './pglite-database.adapter';

export interface DatabaseConnectionOptions {
  /** PostgreSQL URL. Absent: embedded PGlite (in memory, or in `pgliteDataDir`), usable by one process only. */
  databaseUrl?: string;
  /** pg pool size (default 10); ignored for PGlite. */
  poolSize?: number;
  /** Shown in pg_stat_activity; ignored for PGlite. */
  applicationName?: string;
  /** PGlite data directory when there is no `databaseUrl`; absent: in memory. */
  pgliteDataDir?: string;
  /** Called when an idle pooled connection fails (pg only). */
  onIdleError?: (error: Error) => void;
  /** Told each query's duration (pg only). */
  onQuery?: QueryObserver;
}

/** Opens the adapter the options ask for: PgDatabase with a URL, PgliteDatabase without. */
export async function createDatabase(options: DatabaseConnectionOptions): Promise<Database> {
  if (options.databaseUrl) {
    return new PgDatabase({
      url: options.databaseUrl,
      poolSize: options.poolSize,
      applicationName: options.applicationName,
      onIdleError: options.onIdleError,
      onQuery: options.onQuery,
    });
  }
  return PgliteDatabase.open({ dataDir: options.pgliteDataDir });
}

/** The URL without its password, for logs. */
export function describeDatabase(options: DatabaseConnectionOptions): string {
  if (!options.databaseUrl) return `PGlite (${options.pgliteDataDir ?? 'in memory'})`;
  try {
    const url = new URL(options.databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'PostgreSQL (unparseable URL)';
  }
}
