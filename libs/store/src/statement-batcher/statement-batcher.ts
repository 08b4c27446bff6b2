/**
 * Puts concurrent writes (or reads) into one statement: while one batch is in flight, those that arrive meanwhile
 * wait and go out together as the next batch (no timer: one to an idle batcher goes at once). A statement per write
 * costs a round trip, a parse and a commit (a WAL flush) each; under load most of the database's time.
 *
 * - `key`: two writes of one key never share a batch (a multi-row upsert may not touch one row twice); a batch ends
 *   before a key it already holds, and the later write goes in a following batch, after the earlier one.
 * - When a batch fails, its writes are tried one by one, so one bad write fails alone (its own caller gets its error);
 *   except when the database is unavailable (STORE_UNAVAILABLE): then every write of the batch fails at once with that
 *   error, rather than each waiting for the connection timeout in turn.
 * - `maxBatch` bounds a statement's size.
 * - `maxInFlight` (default 1; above 1 only with a `key`): statements running at once. A batch never takes a write
 *   whose key a running statement holds (it ends before it, as before a key it already holds), so one key's writes
 *   still run one after the other and in order, and two running statements never touch the same row.
 */
import { StoreErrorCode } from '../store-error-code';
import { toStoreException } from '../store.exception';

export interface StatementBatcherOptions<I> {
  maxBatch: number;
  /** Statements in flight at once (default 1). Above 1 needs `key`. */
  maxInFlight?: number;
  /** Absent: writes have no key, any of them may share a batch. */
  key?: (item: I) => string;
}

interface Pending<I, O> {
  item: I;
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
}

export class StatementBatcher<I, O> {
  private readonly queue: Array<Pending<I, O>> = [];
  private flying = 0;
  private readonly maxInFlight: number;
  /** Keys of the writes of the running statements. */
  private readonly keysInFlight = new Set<string>();
  /** Statements sent and writes they carried: how well concurrent writes were gathered. */
  readonly stats = { statements: 0, writes: 0 };

  /** `write` gets a batch and answers one result per item, in order. */
  constructor(
    private readonly write: (items: I[]) => Promise<O[]>,
    private readonly options: StatementBatcherOptions<I>,
  ) {
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 1);
    if (this.maxInFlight > 1 && !options.key) throw new Error('StatementBatcher: maxInFlight above 1 needs a key');
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  /** Starts statements while there is room and a batch to take. */
  private pump(): void {
    while (this.flying < this.maxInFlight && this.queue.length > 0) {
      const { batch, keys } = this.take();
      if (batch.length === 0) return; // the first waiting write's key is in flight: it goes when that statement ends
      this.flying += 1;
      for (const held of keys) this.keysInFlight.add(held);
      void this.run(batch).finally(() => {
        this.flying -= 1;
        for (const held of keys) this.keysInFlight.delete(held);
        this.pump();
      });
    }
  }

  /** The longest run of waiting writes from the front with no key twice and none a running statement holds. */
  private take(): { batch: Array<Pending<I, O>>; keys: string[] } {
    const keys = new Set<string>();
    const { key } = this.options;
    let count = 0;
    while (count < this.queue.length && count < this.options.maxBatch) {
      if (key) {
        const itemKey = key(this.queue[count].item);
        if (keys.has(itemKey) || this.keysInFlight.has(itemKey)) break;
        keys.add(itemKey);
      }
      count += 1;
    }
    return { batch: this.queue.splice(0, count), keys: [...keys] };
  }

  private async run(batch: Array<Pending<I, O>>): Promise<void> {
    this.stats.statements += 1;
    this.stats.writes += batch.length;
    try {
      const results = await this.write(batch.map((pending) => pending.item));
      if (results.length !== batch.length) throw new Error(`a batch of ${batch.length} writes answered ${results.length} results`);
      batch.forEach((pending, i) => pending.resolve(results[i]));
    } catch (error) {
      if (batch.length === 1 || toStoreException(error).code === StoreErrorCode.UNAVAILABLE) {
        for (const pending of batch) pending.reject(error);
        return;
      }
      for (const pending of batch) {
        this.stats.statements += 1;
        try {
          const [result] = await this.write([pending.item]);
          pending.resolve(result);
        } catch (single) {
          pending.reject(single);
        }
      }
    }
  }
}
