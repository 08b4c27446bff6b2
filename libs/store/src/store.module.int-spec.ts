import { Test } from '@nestjs/testing';
import * as path from 'node:path';
import { createTestDatabase, TestDatabase } from '@korpu/testing';
import { Database } from './database';
import { StoreModule } from './store.module';

const baseUrl = (): string => {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: the integration global set-up starts PostgreSQL');
  return url;
};

const trackingMigrations = path.resolve(__dirname, '../../tracking/migrations');

describe('StoreModule', () => {
  let testDb: TestDatabase;

  beforeAll(async () => {
    testDb = await createTestDatabase(baseUrl());
  });

  afterAll(async () => {
    await testDb.drop();
  });

  it('provides Database on PostgreSQL with the migrations applied at boot, and closes it on shutdown', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [StoreModule.forRoot({ databaseUrl: testDb.url, poolSize: 2, migrationDirs: [trackingMigrations] })],
    }).compile();
    const app = await moduleRef.init();
    const db = app.get(Database);
    const names = await db.query<{ name: string }>('SELECT name FROM schema_migrations');
    expect(names.rows.length).toBeGreaterThan(0);
    await app.close();
    await expect(db.query('SELECT 1')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });

  it('takes its options from a factory (forRootAsync)', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [StoreModule.forRootAsync({ useFactory: async () => ({ databaseUrl: testDb.url, poolSize: 1 }) })],
    }).compile();
    const app = await moduleRef.init();
    expect((await app.get(Database).query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await app.close();
  });

  it('fails to boot when the database cannot be reached', async () => {
    const moduleRef = Test.createTestingModule({
      imports: [StoreModule.forRoot({ databaseUrl: 'postgres://korpu:korpu@127.0.0.1:1/korpu' })],
    });
    await expect(moduleRef.compile()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });
});
