import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { StoreErrorCode } from '../store-error-code';
import { StoreException } from '../store.exception';
import { Migration, migrationFrom, orderMigrations } from './migration';

/**
 * Reads every `*.sql` file of the given directories (each lib's `migrations/` folder) in global name order.
 * The same directory listed twice is read once; a missing directory or a badly named file is an error.
 */
export function loadMigrations(dirs: readonly string[]): Migration[] {
  const unique = [...new Set(dirs.map((dir) => path.resolve(dir)))];
  const migrations: Migration[] = [];
  for (const dir of unique) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new StoreException(StoreErrorCode.MIGRATION_DIR_NOT_FOUND, `migration directory ${dir} does not exist`);
    }
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith('.sql')) continue;
      const source = path.join(dir, file);
      migrations.push(migrationFrom(file, readFileSync(source, 'utf8'), source));
    }
  }
  return orderMigrations(migrations);
}

/** Every `libs/<lib>/migrations` and `apps/<app>/migrations` folder under the repository root (used by the CLI). */
export function findMigrationDirs(rootDir: string): string[] {
  const dirs: string[] = [];
  for (const parent of ['libs', 'apps']) {
    const base = path.join(rootDir, parent);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base).sort()) {
      const dir = path.join(base, entry, 'migrations');
      if (existsSync(dir) && statSync(dir).isDirectory()) dirs.push(dir);
    }
  }
  return dirs;
}
