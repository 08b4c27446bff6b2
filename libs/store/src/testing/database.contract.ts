import { Database } from '../database';
import { StoreErrorCode } from '../store-error-code';
import { StoreException } from '../store.exception';

/**
 * The behaviour every Database adapter must have. Run by pglite-database.adapter.spec.ts (PGlite in memory) and
 * pg-database.adapter.int-spec.ts (the real PostgreSQL server), so both adapters answer the same way.
 */
export function describeDatabaseContract(open: () => Promise<{ db: Database; dispose?: () => Promise<void> }>): void {
  let db: Database;
  let dispose: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ db, dispose } = await open());
    await db.execScript(`
      CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL, CONSTRAINT items_name_key UNIQUE (name));
      CREATE TABLE counters (id integer PRIMARY KEY, n integer NOT NULL);
      CREATE TABLE kinds (big int8, num numeric, at timestamptz, day date, doc jsonb, bin bytea, ints int[], flag boolean, txt text);
    `);
  });

  afterAll(async () => {
    await db.close();
    await dispose?.();
  });

  beforeEach(async () => {
    await db.execScript('TRUNCATE items, counters, kinds');
  });

  it('returns the rows of a select and counts them', async () => {
    const result = await db.query<{ n: number; s: string }>('SELECT $1::int AS n, $2::text AS s UNION ALL SELECT 2, $3', [1, 'a', 'b']);
    expect(result.rows).toEqual([
      { n: 1, s: 'a' },
      { n: 2, s: 'b' },
    ]);
    expect(result.rowCount).toBe(2);
  });

  it('counts the rows changed by insert, update and delete, with or without RETURNING', async () => {
    expect((await db.query('INSERT INTO items (id, name) VALUES (1, $1), (2, $2)', ['a', 'b'])).rowCount).toBe(2);
    const returned = await db.query<{ id: number }>('UPDATE items SET name = name || $1 RETURNING id', ['!']);
    expect(returned.rowCount).toBe(2);
    expect(returned.rows.map((row) => row.id).sort()).toEqual([1, 2]);
    expect((await db.query('UPDATE items SET name = $1 WHERE id = 99', ['x'])).rowCount).toBe(0);
    expect((await db.query('DELETE FROM items WHERE id = $1', [1])).rowCount).toBe(1);
    expect((await db.query('SELECT * FROM items WHERE id = 99')).rowCount).toBe(0);
  });

  it('maps column types the same way whichever driver runs the query', async () => {
    const at = new Date('2026-11-27T10:11:12.345Z');
    await db.query('INSERT INTO kinds VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
      '9007199254740993',
      '12.50',
      at,
      '2026-11-27',
      { a: 1, nested: { b: ['x'] } },
      Buffer.from([1, 2, 255]),
      [1, 2, 3],
      true,
      null,
    ]);
    const { rows } = await db.query<Record<string, unknown>>('SELECT *, (SELECT count(*) FROM kinds) AS total FROM kinds');
    expect(rows[0]).toEqual({
      big: '9007199254740993',
      num: '12.50',
      at,
      day: '2026-11-27',
      doc: { a: 1, nested: { b: ['x'] } },
      bin: Buffer.from([1, 2, 255]),
      ints: [1, 2, 3],
      flag: true,
      txt: null,
      total: '1',
    });
    expect(Buffer.isBuffer(rows[0].bin)).toBe(true);
  });

  it('accepts a JSON string for a jsonb parameter', async () => {
    await db.query('INSERT INTO kinds (doc) VALUES ($1)', [JSON.stringify({ z: true })]);
    expect((await db.query<{ doc: unknown }>('SELECT doc FROM kinds')).rows[0].doc).toEqual({ z: true });
  });

  it('runs a script of several statements', async () => {
    await db.execScript(`INSERT INTO items VALUES (1, 'a'); INSERT INTO items VALUES (2, 'b');`);
    expect((await db.query('SELECT * FROM items')).rowCount).toBe(2);
  });

  it('commits a transaction whose function resolves and returns its value', async () => {
    const value = await db.transaction(async (tx) => {
      await tx.query('INSERT INTO items VALUES (1, $1)', ['a']);
      return (await tx.query<{ c: string }>('SELECT count(*) AS c FROM items')).rows[0].c;
    });
    expect(value).toBe('1');
    expect((await db.query('SELECT * FROM items')).rowCount).toBe(1);
  });

  it('rolls back a transaction whose function throws and rethrows the same error', async () => {
    const thrown = new Error('domain says no');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO items VALUES (1, $1)', ['a']);
        throw thrown;
      }),
    ).rejects.toBe(thrown);
    expect((await db.query('SELECT * FROM items')).rowCount).toBe(0);
  });

  it('rolls back when a statement fails inside a transaction and stays usable', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO items VALUES (1, $1)', ['a']);
        await tx.query('INSERT INTO items VALUES (1, $1)', ['b']);
      }),
    ).rejects.toMatchObject({ code: StoreErrorCode.UNIQUE_VIOLATION });
    expect((await db.query('SELECT * FROM items')).rowCount).toBe(0);
    await db.query('INSERT INTO items VALUES (1, $1)', ['a']);
    expect((await db.query('SELECT * FROM items')).rowCount).toBe(1);
  });

  it('reports a unique violation as STORE_UNIQUE_VIOLATION with the SQLSTATE and constraint', async () => {
    await db.query('INSERT INTO items VALUES (1, $1)', ['a']);
    const error = await db.query('INSERT INTO items VALUES (2, $1)', ['a']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreException);
    expect(error).toMatchObject({ code: StoreErrorCode.UNIQUE_VIOLATION, sqlState: '23505', status: 409, retryable: false });
  });

  it('reports a bad statement as STORE_QUERY_FAILED with the SQLSTATE', async () => {
    const error = await db.query('SELEC 1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreException);
    expect(error).toMatchObject({ code: StoreErrorCode.QUERY_FAILED, sqlState: '42601' });
    await expect(db.execScript('SELECT * FROM no_such_table')).rejects.toMatchObject({ sqlState: '42P01' });
  });

  it('refuses a transaction executor used after its transaction ended', async () => {
    let leaked: { query: (sql: string) => Promise<unknown> } | undefined;
    await db.transaction(async (tx) => {
      leaked = tx;
    });
    await expect(leaked!.query('SELECT 1')).rejects.toMatchObject({ code: StoreErrorCode.TRANSACTION_CLOSED });
  });

  it('loses no update when many transactions change the same row at once', async () => {
    await db.query('INSERT INTO counters VALUES (1, 0)');
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction(async (tx) => {
          const { rows } = await tx.query<{ n: number }>('SELECT n FROM counters WHERE id = 1 FOR UPDATE');
          await tx.query('UPDATE counters SET n = $1 WHERE id = 1', [rows[0].n + 1]);
        }),
      ),
    );
    expect((await db.query<{ n: number }>('SELECT n FROM counters WHERE id = 1')).rows[0].n).toBe(20);
  });

  it('runs plain queries while transactions are open', async () => {
    const results = await Promise.all([
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO items VALUES (1, $1)', ['a']);
        return 'tx';
      }),
      db.query<{ one: number }>('SELECT 1 AS one').then((r) => r.rows[0].one),
    ]);
    expect(results).toEqual(['tx', 1]);
  });

  it('delivers a notification committed by a transaction to a listener, and none after the listener closed', async () => {
    const payloads: string[] = [];
    let listening = 0;
    const listener = await db.listen('contract_channel', {
      onNotify: (payload) => payloads.push(payload),
      onGap: () => undefined,
      onListening: () => (listening += 1),
    });
    expect(listening).toBe(1);
    await db.transaction(async (tx) => {
      await tx.query(`SELECT pg_notify('contract_channel', 'inside')`);
      // Not delivered before the commit.
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(payloads).toEqual([]);
    });
    for (let i = 0; i < 100 && payloads.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(payloads).toEqual(['inside']);
    await listener.close();
    await db.query(`SELECT pg_notify('contract_channel', 'after')`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(payloads).toEqual(['inside']);
  });

  it('refuses a channel name that is not a plain identifier', async () => {
    await expect(db.listen('bad"; DROP TABLE items; --', { onNotify: () => undefined, onGap: () => undefined, onListening: () => undefined })).rejects.toThrow(
      'not a notification channel name',
    );
  });
}
