/** What a query returns, whichever driver ran it. */
export interface QueryResult<T> {
  rows: T[];
  /** Rows returned by a SELECT, or rows changed by INSERT/UPDATE/DELETE (with or without RETURNING). */
  rowCount: number;
}

/**
 * Runs SQL. Repositories take a `SqlExecutor` so the same method works on the database or inside a transaction.
 *
 * Values come back the same from every adapter: int8/bigint and numeric as strings (count(*) too: cast to int
 * or use Number()), timestamptz as Date, date as 'YYYY-MM-DD' strings, json/jsonb parsed, bytea as Buffer.
 */
export interface SqlExecutor {
  /** Runs exactly one statement; `$1, $2...` take `params`. Objects are sent as JSON, Buffers as bytea. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<T>>;
  /** Runs a script of one or more statements without parameters (migrations, DDL). */
  execScript(sql: string): Promise<void>;
}

/** How one statement is run. */
export interface QueryOptions {
  /**
   * Parsed and planned once per connection, then only bound and run: a named prepared statement (named by a hash of
   * its text). For the hot statements of fixed text — a batched status insert is planned in about as long as it
   * runs. Not for a statement whose result columns follow a table's (`SELECT *`, `RETURNING *`): after a migration
   * adds a column, PostgreSQL refuses to run the prepared statement ("cached plan must not change result type").
   * Behind a pooler in transaction mode, the pooler must keep prepared statements (PgBouncer ≥ 1.21:
   * max_prepared_statements). PGlite ignores it.
   */
  prepare?: boolean;
}

/**
 * The store port: domain code depends on this abstract class (it is also the Nest injection token) and never
 * sees a SQL driver. Adapters: `PgDatabase` (PostgreSQL through a pg Pool) and `PgliteDatabase` (embedded PGlite).
 * Driver errors surface as `StoreException` with a `StoreErrorCode`.
 */
/** Connections of a pool right now (PostgreSQL; PGlite has none). */
export interface PoolStats {
  /** Checked out by a query or a transaction. */
  inUse: number;
  idle: number;
  /** Callers waiting for a connection: above zero for long, the pool is exhausted. */
  waiting: number;
  max: number;
}

/** Told the duration of every query and transaction (metrics). */
export type QueryObserver = (seconds: number, outcome: 'ok' | 'error') => void;

export abstract class Database implements SqlExecutor {
  /** The pool's connections, where there is a pool. */
  poolStats(): PoolStats | undefined {
    return undefined;
  }

  abstract query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<T>>;

  abstract execScript(sql: string): Promise<void>;

  /**
   * Runs `fn` in one transaction (READ COMMITTED): commits when it resolves, rolls back and rethrows what it
   * threw otherwise. Use only `tx` inside `fn`; it refuses to run once the transaction has ended.
   */
  abstract transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;

  /**
   * Listens to a PostgreSQL notification channel (LISTEN/NOTIFY) on a connection of its own. `onNotify` gets each
   * payload. `onGap` is called when the listening connection is lost, for as long as notifications may be missed:
   * a cache fed by notifications must stop trusting itself there; once listening again, `onListening` is called
   * (reload then). Resolves once the first LISTEN is in place or rejects if it cannot be.
   */
  abstract listen(channel: string, handlers: NotificationHandlers): Promise<NotificationListener>;

  /** Closes the pool or the embedded database; waits for running queries. */
  abstract close(): Promise<void>;
}

export interface NotificationHandlers {
  onNotify(payload: string): void;
  onGap(reason: string): void;
  onListening(): void;
}

export interface NotificationListener {
  close(): Promise<void>;
}

/** A channel name as an SQL identifier: letters, digits and underscores only (it cannot be a bind parameter). */
export function channelIdentifier(channel: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`not a notification channel name: ${channel}`);
  return `"${channel}"`;
}
