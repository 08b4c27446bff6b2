import { createHash } from 'node:crypto';
import { StoreErrorCode } from '../store-error-code';
import { StoreException } from '../store.exception';

/** One versioned SQL file. `name` (the file name without `.sql`) is its identity in `schema_migrations`. */
export interface Migration {
  /** `<YYYYMMDDHHMM>_<lib>_<what>`, e.g. `202611270100_tracking_messages`. */
  name: string;
  sql: string;
  /** sha256 of the SQL (line endings normalised), recorded when applied. */
  checksum: string;
  /** Where it came from (a file path), for error messages. */
  source: string;
}

/** `<YYYYMMDDHHMM>_<lib>_<what>.sql`: 12 digits, the owning lib (kebab-case), then what it does. */
export const MIGRATION_FILE_PATTERN = /^(\d{12})_([a-z0-9]+(?:-[a-z0-9]+)*)_([a-z0-9][a-z0-9_-]*)\.sql$/;

export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

/** Builds a migration from a file name and its SQL; refuses names that break the pattern. */
export function migrationFrom(fileName: string, sql: string, source = fileName): Migration {
  const match = MIGRATION_FILE_PATTERN.exec(fileName);
  if (!match) {
    throw new StoreException(
      StoreErrorCode.MIGRATION_INVALID_NAME,
      `migration ${source}: the file name must be <YYYYMMDDHHMM>_<lib>_<what>.sql (e.g. 202611270100_tracking_messages.sql)`,
    );
  }
  return { name: fileName.slice(0, -'.sql'.length), sql, checksum: migrationChecksum(sql), source };
}

/** Sorts by name (so by timestamp, then lib) and refuses two migrations with the same name. */
export function orderMigrations(migrations: readonly Migration[]): Migration[] {
  const sorted = [...migrations].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].name === sorted[i - 1].name) {
      throw new StoreException(
        StoreErrorCode.MIGRATION_DUPLICATE,
        `migration ${sorted[i].name} exists twice: ${sorted[i - 1].source} and ${sorted[i].source}`,
      );
    }
  }
  return sorted;
}
