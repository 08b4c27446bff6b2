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
});
