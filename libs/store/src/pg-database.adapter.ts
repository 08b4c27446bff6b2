import { createHash } from 'node:crypto';
import { Client, Pool, PoolClient, QueryConfig, types as pgTypes } from 'pg';
import {
  channelIdentifier,
  Database,
  NotificationHandlers,
  NotificationListener,
  PoolStats,
  QueryObserver,
  QueryOptions,
  QueryResult,
  SqlExecutor,
} from './database';
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
  /** Told each query's duration (a transaction counts as one, from BEGIN to its end). */
  onQuery?: QueryObserver;
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
  private readonly listeners = new Set<PgNotificationListener>();
  private readonly max: number;
  private readonly observe?: QueryObserver;

  constructor(private readonly options: PgDatabaseOptions) {
    super();
    this.max = options.poolSize ?? 10;
    this.observe = options.onQuery;
    this.pool = new Pool({
      connectionString: options.url,
      max: this.max,
      application_name: options.applicationName,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
      idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
      types: typeParsers,
    });
    // Without a listener an idle connection dropped by the server would crash the process.
    this.pool.on('error', (error) => options.onIdleError?.(error));
  }

  override poolStats(): PoolStats {
    return { inUse: this.pool.totalCount - this.pool.idleCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount, max: this.max };
  }

  override async query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<T>> {
    const started = this.observe && process.hrtime.bigint();
    let outcome: 'ok' | 'error' = 'error';
    try {
      const result = await this.pool.query(statement(sql, params, options));
      outcome = 'ok';
      return { rows: result.rows as T[], rowCount: result.rowCount ?? result.rows.length };
    } catch (error) {
      throw toStoreException(error);
    } finally {
      if (started) this.observe?.(Number(process.hrtime.bigint() - started) / 1e9, outcome);
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
    const started = this.observe && process.hrtime.bigint();
    let outcome: 'ok' | 'error' = 'error';
    try {
      const result = await this.inTransaction(fn);
      outcome = 'ok';
      return result;
    } finally {
      if (started) this.observe?.(Number(process.hrtime.bigint() - started) / 1e9, outcome);
    }
  }

  private async inTransaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
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

  override async listen(channel: string, handlers: NotificationHandlers): Promise<NotificationListener> {
    const listener = new PgNotificationListener(this.options, channelIdentifier(channel), handlers, () => this.listeners.delete(listener));
    this.listeners.add(listener);
    try {
      await listener.start();
    } catch (error) {
      await listener.close();
      throw toStoreException(error);
    }
    return listener;
  }

  override async close(): Promise<void> {
    await Promise.all([...this.listeners].map((listener) => listener.close()));
    await this.pool.end();
  }
}

/**
 * One dedicated connection that LISTENs (a pooled one could be handed to a query and lose it). When it drops, the
 * handlers hear of the gap at once and it reconnects with backoff until closed.
 */
class PgNotificationListener implements NotificationListener {
  private client?: Client;
  private closed = false;
  private retryMs = 200;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly options: PgDatabaseOptions,
    private readonly channel: string,
    private readonly handlers: NotificationHandlers,
    private readonly onClosed: () => void,
  ) {}

  async start(): Promise<void> {
    const client = new Client({
      connectionString: this.options.url,
      application_name: `${this.options.applicationName ?? 'korpu'}-listen`,
      connectionTimeoutMillis: this.options.connectionTimeoutMs ?? 10_000,
      types: typeParsers,
    });
    let lost = false;
    const onLost = (reason: string) => {
      if (lost) return;
      lost = true;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      if (this.closed) return;
      this.handlers.onGap(reason);
      this.schedule();
    };
    client.on('error', (error) => onLost(error.message));
    client.on('end', () => onLost('connection ended'));
    client.on('notification', (message) => this.handlers.onNotify(message.payload ?? ''));
    await client.connect();
    await client.query(`LISTEN ${this.channel}`);
    this.client = client;
    this.retryMs = 200;
    this.handlers.onListening();
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.start().catch((error: unknown) => {
        if (this.closed) return;
        this.handlers.onGap(String(error));
        this.retryMs = Math.min(this.retryMs * 2, 5000);
        this.schedule();
      });
    }, this.retryMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.onClosed();
    await this.client?.end().catch(() => undefined);
  }
}

/** Names of prepared statements by their text (a statement's text is a constant of its repository). */
const statementNames = new Map<string, string>();

/** node-postgres' query config: named (prepared once per connection) when asked. */
function statement(sql: string, params: readonly unknown[] | undefined, options: QueryOptions | undefined): QueryConfig {
  const values = params as unknown[] | undefined;
  if (!options?.prepare) return { text: sql, values };
  let name = statementNames.get(sql);
  if (!name) {
    name = `korpu_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return { name, text: sql, values };
}

class PgTransaction implements SqlExecutor {
  private ended = false;

  constructor(private readonly client: PoolClient) {}

  end(): void {
    this.ended = true;
  }

  async query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<T>> {
    this.assertOpen();
    try {
      const result = await this.client.query(statement(sql, params, options));
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
