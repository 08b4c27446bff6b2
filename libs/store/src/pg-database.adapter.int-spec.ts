import { createTestDatabase } from '@korpu/testing';
import { PgDatabase } from './pg-database.adapter';
import { describeDatabaseContract } from './testing/database.contract';
import { StoreErrorCode } from './store-error-code';

const baseUrl = (): string => {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: the integration global set-up starts PostgreSQL');
  return url;
};

describe('PgDatabase (PostgreSQL server)', () => {
  describeDatabaseContract(async () => {
    const testDb = await createTestDatabase(baseUrl());
    return { db: new PgDatabase({ url: testDb.url, poolSize: 5 }), dispose: testDb.drop };
  });

  it('reports an unreachable server as STORE_UNAVAILABLE, retryable', async () => {
    const db = new PgDatabase({ url: 'postgres://korpu:korpu@127.0.0.1:1/korpu', connectionTimeoutMs: 2000 });
    try {
      await expect(db.query('SELECT 1')).rejects.toMatchObject({ code: StoreErrorCode.UNAVAILABLE, retryable: true });
      await expect(db.transaction(async () => 1)).rejects.toMatchObject({ code: StoreErrorCode.UNAVAILABLE });
    } finally {
      await db.close();
    }
  });

  it('prepares a statement asked to once per connection, inside transactions too, and answers it like any other', async () => {
    const testDb = await createTestDatabase(baseUrl());
    const db = new PgDatabase({ url: testDb.url, poolSize: 1 }); // one connection: what it holds is visible to it
    try {
      await db.execScript('CREATE TABLE t (id int PRIMARY KEY, name text)');
      const insert = 'INSERT INTO t (id, name) SELECT * FROM unnest($1::int[], $2::text[]) ON CONFLICT (id) DO NOTHING RETURNING id';
      expect((await db.query(insert, [[1, 2], ['a', 'b']], { prepare: true })).rows).toEqual([{ id: 1 }, { id: 2 }]);
      expect((await db.query(insert, [[2, 3], ['b', 'c']], { prepare: true })).rows).toEqual([{ id: 3 }]);
      await db.transaction(async (tx) => {
        expect((await tx.query(insert, [[4], ['d']], { prepare: true })).rowCount).toBe(1);
      });
      await db.query('SELECT count(*) FROM t'); // not asked: not prepared
      const { rows } = await db.query<{ name: string; statement: string }>('SELECT name, statement FROM pg_prepared_statements ORDER BY name');
      expect(rows).toEqual([{ name: expect.stringMatching(/^korpu_[0-9a-f]{24}$/), statement: insert }]);
      // A statement that fails (here: a constraint) fails as itself, and the prepared statement stays usable.
      await expect(db.query('INSERT INTO t (id, name) SELECT * FROM unnest($1::int[], $2::text[]) RETURNING id', [[1], ['x']], { prepare: true })).rejects.toMatchObject({
        code: StoreErrorCode.UNIQUE_VIOLATION,
      });
      expect((await db.query(insert, [[5], ['e']], { prepare: true })).rows).toEqual([{ id: 5 }]);
    } finally {
      await db.close();
      await testDb.drop();
    }
  });
});
