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
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
  /** Runs a script of one or more statements without parameters (migrations, DDL). */
  execScript(sql: string): Promise<void>;
}

/**
 * The store port: domain code depends on this abstract class (it is also the Nest injection token) and never
 * sees a SQL driver. Adapters: `PgDatabase` (PostgreSQL through a pg Pool) and `PgliteDatabase` (embedded PGlite).
 * Driver errors surface as `StoreException` with a `StoreErrorCode`.
 */
export abstract class Database implements SqlExecutor {
  abstract query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;

  abstract execScript(sql: string): Promise<void>;

  /**
   * Runs `fn` in one transaction (READ COMMITTED): commits when it resolves, rolls back and rethrows what it
   * threw otherwise. Use only `tx` inside `fn`; it refuses to run once the transaction has ended.
   */
  abstract transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;

  /** Closes the pool or the embedded database; waits for running queries. */
  abstract close(): Promise<void>;
}
