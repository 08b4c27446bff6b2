import { Pool, PoolClient, types as pgTypes } from 'pg';
import { Database, QueryResult, SqlExecutor } from './database';
import { StoreErrorCode } from './store-error-code';
import { StoreException, toStoreException } from './store.exception';

export interface PgDatabaseOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** Most connections the pool opens (default 10). */
  poolSize?: number;
  /** Shown in pg_stat_activity (e.g. 'korpu-gateway'). */
  applicationName?: string;
  /** Give up connecting after this long (default 10 s). */
  connectionTimeoutMs?: number;
  /** Close connections idle for this long (default 30 s). */
  idleTimeoutMs?: number;
  /** Called when an idle pooled connection fails (the pool drops it and opens a new one on demand). */
  onIdleError?: (error: Error) => void;
}

const DATE_OID = 1082;

// Same values as PgliteDatabase: dates stay 'YYYY-MM-DD' (pg would build a Date at local midnight).
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === DATE_OID) return (value: string) => value;
    return format === 'binary' ? pgTypes.getTypeParser(oid, 'binary') : pgTypes.getTypeParser(oid, 'text');
  }) as typeof pgTypes.getTypeParser,
};

/** The store on PostgreSQL through a node-postgres Pool. */
export class PgDatabase extends Database {
  private readonly pool: Pool;

  constructor(options: PgDatabaseOptions) {
    super();
    this.pool = new Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      application_name: options.applicationName,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
      idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
      types: typeParsers,
    });
    // Without a listener an idle connection dropped by the server would crash the process.
    this.pool.on('error', (error) => options.onIdleError?.(error));
  }

  override async query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
    try {
      const result = await this.pool.query(sql, params as unknown[] | undefined);
      return { rows: result.rows as T[], rowCount: result.rowCount ?? result.rows.length };
    } catch (error) {
      throw toStoreException(error);
    }
  }

  override async execScript(sql: string): Promise<void> {
    try {
      await this.pool.query(sql);
    } catch (error) {
      throw toStoreException(error);
    }
  }

  override async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw toStoreException(error);
    }
    // A checked-out client whose connection dies (server restart) emits 'error'; without a listener that event
    // would crash the process. The failing query rejects on its own; here the connection is only marked broken.
    let broken = false;
    const onConnectionError = (): void => {
      broken = true;
    };
    client.on('error', onConnectionError);
    const tx = new PgTransaction(client);
    try {
      await tx.query('BEGIN');
      const result = await fn(tx);
      await tx.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true; // the connection is unusable: destroy it rather than return it to the pool
      }
      throw error;
    } finally {
      tx.end();
      client.removeListener('error', onConnectionError);
      client.release(broken || undefined);
    }
  }

  override async close(): Promise<void> {
    await this.pool.end();
  }
}

class PgTransaction implements SqlExecutor {
  private ended = false;

  constructor(private readonly client: PoolClient) {}

  end(): void {
    this.ended = true;
  }

  async query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
    this.assertOpen();
    try {
      const result = await this.client.query(sql, params as unknown[] | undefined);
      return { rows: result.rows as T[], rowCount: result.rowCount ?? result.rows.length };
    } catch (error) {
      throw toStoreException(error);
    }
  }

  async execScript(sql: string): Promise<void> {
    this.assertOpen();
    try {
      await this.client.query(sql);
    } catch (error) {
      throw toStoreException(error);
    }
  }

  private assertOpen(): void {
    // Once released, the client may already serve another caller: never let a late query reach it.
    if (this.ended) throw new StoreException(StoreErrorCode.TRANSACTION_CLOSED, 'the transaction has already ended');
  }
}
