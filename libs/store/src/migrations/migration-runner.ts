import { Database, SqlExecutor } from '../database';
import { StoreErrorCode } from '../store-error-code';
import { StoreException } from '../store.exception';
import { Migration, orderMigrations } from './migration';

export interface MigrationReport {
  /** Names applied by this run, in order. */
  applied: string[];
  /** How many of the given migrations were already applied (by an earlier run or another instance). */
  alreadyApplied: number;
}

export interface MigrationRunnerOptions {
  /** Progress messages (one per applied migration). */
  log?: (message: string) => void;
}

// Key of the transaction-level advisory lock that serialises migrators across processes ('Korp', 'migr').
const LOCK_KEY: [number, number] = [0x4b6f7270, 0x6d696772];

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  name        text PRIMARY KEY,
  checksum    text NOT NULL,
  applied_at  timestamptz NOT NULL DEFAULT now(),
  duration_ms integer NOT NULL
)`;

interface AppliedRow {
  name: string;
  checksum: string;
}

/**
 * Applies versioned SQL migrations, each in its own transaction, recording them in `schema_migrations`.
 *
 * Safe when several instances boot at once: every transaction first takes the same advisory lock
 * (`pg_advisory_xact_lock`) and re-reads `schema_migrations`, so each migration is applied exactly once and
 * the others skip it. A migration that was applied and then edited is an error naming its file.
 * Migrations are applied in global name order; one whose name sorts before an already applied one is still
 * applied (libs add migrations independently). Rows in `schema_migrations` unknown to this run (another app's
 * migrations) are left alone. Statements that cannot run in a transaction (CREATE INDEX CONCURRENTLY) are not supported.
 */
export class MigrationRunner {
  constructor(
    private readonly db: Database,
    private readonly options: MigrationRunnerOptions = {},
  ) {}

  async run(migrations: readonly Migration[]): Promise<MigrationReport> {
    const ordered = orderMigrations(migrations);
    const applied = await this.db.transaction(async (tx) => {
      await this.lock(tx);
      await tx.execScript(CREATE_TABLE);
      return this.appliedChecksums(tx);
    });
    // Refuse to go on before applying anything when a file that was applied has changed.
    for (const migration of ordered) this.verify(migration, applied.get(migration.name));

    const report: MigrationReport = { applied: [], alreadyApplied: 0 };
    for (const migration of ordered) {
      if (applied.has(migration.name)) {
        report.alreadyApplied++;
        continue;
      }
      if (await this.applyOne(migration)) report.applied.push(migration.name);
      else report.alreadyApplied++;
    }
    return report;
  }

  /** Names and checksums recorded in `schema_migrations` (empty when the table does not exist yet). */
  async appliedMigrations(): Promise<Map<string, string>> {
    const exists = await this.db.query<{ exists: boolean }>(`SELECT to_regclass('schema_migrations') IS NOT NULL AS exists`);
    if (!exists.rows[0]?.exists) return new Map();
    return this.appliedChecksums(this.db);
  }

  private async applyOne(migration: Migration): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await this.lock(tx);
      const current = await tx.query<AppliedRow>('SELECT name, checksum FROM schema_migrations WHERE name = $1', [migration.name]);
      if (current.rows.length > 0) {
        this.verify(migration, current.rows[0].checksum); // another instance applied it meanwhile
        return false;
      }
      const started = Date.now();
      try {
        await tx.execScript(migration.sql);
      } catch (error) {
        throw new StoreException(
          StoreErrorCode.MIGRATION_FAILED,
          `migration ${migration.source} failed: ${error instanceof Error ? error.message : String(error)}`,
          { sqlState: error instanceof StoreException ? error.sqlState : undefined, cause: error },
        );
      }
      const duration = Date.now() - started;
      await tx.query('INSERT INTO schema_migrations (name, checksum, duration_ms) VALUES ($1, $2, $3)', [
        migration.name,
        migration.checksum,
        duration,
      ]);
      this.options.log?.(`applied migration ${migration.name} (${duration} ms)`);
      return true;
    });
  }

  private verify(migration: Migration, appliedChecksum: string | undefined): void {
    if (appliedChecksum !== undefined && appliedChecksum !== migration.checksum) {
      throw new StoreException(
        StoreErrorCode.MIGRATION_CHECKSUM_MISMATCH,
        `migration ${migration.source} was changed after it was applied (checksum ${appliedChecksum.slice(0, 12)}... ` +
          `recorded, ${migration.checksum.slice(0, 12)}... now); add a new migration instead of editing an applied one`,
      );
    }
  }

  private async lock(tx: SqlExecutor): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1, $2)', LOCK_KEY);
  }

  private async appliedChecksums(executor: SqlExecutor): Promise<Map<string, string>> {
    const result = await executor.query<AppliedRow>('SELECT name, checksum FROM schema_migrations ORDER BY name');
    return new Map(result.rows.map((row) => [row.name, row.checksum]));
  }
}
