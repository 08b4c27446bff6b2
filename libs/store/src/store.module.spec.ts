import { Test } from '@nestjs/testing';
import { Database } from './database';
import { PgliteDatabase } from './pglite-database.adapter';
import { StoreModule } from './store.module';

describe('StoreModule without a database URL', () => {
  it('provides an in-memory PGlite Database and closes it on shutdown', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [StoreModule.forRoot({})] }).compile();
    const app = await moduleRef.init();
    const db = app.get(Database);
    expect(db).toBeInstanceOf(PgliteDatabase);
    expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await app.close();
    await expect(db.query('SELECT 1')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });
});
