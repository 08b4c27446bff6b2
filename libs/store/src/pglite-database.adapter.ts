import { PGlite, Transaction } from '@electric-sql/pglite';
import { channelIdentifier, Database, NotificationHandlers, NotificationListener, QueryResult, SqlExecutor } from './database';
import { StoreErrorCode } from './store-error-code';
import { StoreException, toStoreException } from './store.exception';

export interface PgliteDatabaseOptions {
  /** Directory of the embedded database; absent: in memory, gone when closed. Only one process may open a directory. */
  dataDir?: string;
}

const INT8_OID = 20;
const BYTEA_OID = 17;
const DATE_OID = 1082;

// Same values as PgDatabase (node-postgres defaults): int8 as string, bytea as Buffer, date as 'YYYY-MM-DD'.
const parsers = {
  [INT8_OID]: (value: string) => value,
  [DATE_OID]: (value: string) => value,
  [BYTEA_OID]: (value: string) => Buffer.from(value.startsWith('\\x') ? value.slice(2) : value, 'hex'),
};

type PgliteExecutor = Pick<PGlite, 'query' | 'exec'> | Transaction;

async function runQuery<T>(executor: PgliteExecutor, sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
  try {
    const result = await executor.query<T>(sql, params as unknown[] | undefined);
    return { rows: result.rows, rowCount: Math.max(result.affectedRows ?? 0, result.rows.length) };
  } catch (error) {
    throw toStoreException(error);
  }
}

async function runScript(executor: PgliteExecutor, sql: string): Promise<void> {
  try {
    await executor.exec(sql);
  } catch (error) {
    throw toStoreException(error);
  }
}

/**
 * The store on embedded PGlite (PostgreSQL compiled to WebAssembly, in this process). For tests and for a single
 * process without a server: PGlite runs one statement at a time, and a transaction holds the database exclusively.
 */
export class PgliteDatabase extends Database {
  private constructor(private readonly db: PGlite) {
    super();
  }

  static async open(options: PgliteDatabaseOptions = {}): Promise<PgliteDatabase> {
    try {
      const db = await PGlite.create({ dataDir: options.dataDir, parsers });
      return new PgliteDatabase(db);
    } catch (error) {
      throw new StoreException(StoreErrorCode.UNAVAILABLE, `cannot open PGlite in ${options.dataDir ?? 'memory'}: ${String(error)}`, {
        cause: error,
      });
    }
  }

  // QueryOptions (prepare) do not apply: PGlite runs in this process, there is no round trip to save.
  override query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
    return runQuery<T>(this.db, sql, params);
  }

  override execScript(sql: string): Promise<void> {
    return runScript(this.db, sql);
  }

  override async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    let tx: PgliteTransaction | undefined;
    try {
      return await this.db.transaction(async (inner) => {
        tx = new PgliteTransaction(inner);
        return fn(tx);
      });
    } finally {
      tx?.end();
    }
  }

  /** In-process: notifications cannot be missed while the database is open, so there is never a gap. */
  override async listen(channel: string, handlers: NotificationHandlers): Promise<NotificationListener> {
    channelIdentifier(channel);
    const unsubscribe = await this.db.listen(channel, (payload) => handlers.onNotify(payload));
    handlers.onListening();
    return { close: async () => (this.db.closed ? undefined : unsubscribe()) };
  }

  override async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}

class PgliteTransaction implements SqlExecutor {
  private ended = false;

  constructor(private readonly tx: Transaction) {}

  end(): void {
    this.ended = true;
  }

  async query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
    this.assertOpen();
    return runQuery<T>(this.tx, sql, params);
  }

  async execScript(sql: string): Promise<void> {
    this.assertOpen();
    return runScript(this.tx, sql);
  }

  private assertOpen(): void {
    if (this.ended) throw new StoreException(StoreErrorCode.TRANSACTION_CLOSED, 'the transaction has already ended');
  }
}
