/**
 * Applies the SQL migrations to a database, the same way StoreModule does at boot.
 *
 *   npm run migrate                      every libs/<lib>/migrations and apps/<app>/migrations folder
 *   npm run migrate -- --dir libs/tracking/migrations --dir libs/access/migrations
 *   npm run migrate -- --status          list applied and pending migrations, change nothing
 *
 * Environment: DATABASE_URL (e.g. `bash deploy/local/postgres.sh url`); without it, PGLITE_DATA_DIR
 * (an embedded PGlite directory that no other process has open).
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabase, describeDatabase } from '../create-database';
import { findMigrationDirs, loadMigrations } from '../migrations/migration-files';
import { MigrationRunner } from '../migrations/migration-runner';

const repoRoot = path.resolve(__dirname, '../../../..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { dir: { type: 'string', multiple: true }, status: { type: 'boolean', default: false }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log('usage: npm run migrate -- [--dir <migrations dir>]... [--status]');
    return;
  }
  const connection = { databaseUrl: process.env.DATABASE_URL || undefined, pgliteDataDir: process.env.PGLITE_DATA_DIR || undefined };
  if (!connection.databaseUrl && !connection.pgliteDataDir) {
    throw new Error('set DATABASE_URL (e.g. DATABASE_URL=$(bash deploy/local/postgres.sh url)) or PGLITE_DATA_DIR');
  }
  const dirs = values.dir?.length ? values.dir.map((dir) => path.resolve(dir)) : findMigrationDirs(repoRoot);
  const migrations = loadMigrations(dirs);
  const db = await createDatabase({ ...connection, poolSize: 2, applicationName: 'korpu-migrate' });
  try {
    const runner = new MigrationRunner(db, { log: (message) => console.error(`[migrate] ${message}`) });
    console.error(`[migrate] ${describeDatabase(connection)}; ${migrations.length} migrations in ${dirs.length} folders`);
    if (values.status) {
      const applied = await runner.appliedMigrations();
      for (const m of migrations) console.log(`${applied.has(m.name) ? 'applied' : 'pending'}  ${m.name}`);
      return;
    }
    const report = await runner.run(migrations);
    console.error(`[migrate] done: ${report.applied.length} applied, ${report.alreadyApplied} already applied`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(`[migrate] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
