import { PgliteDatabase } from './pglite-database.adapter';
import { describeDatabaseContract } from './testing/database.contract';

describe('PgliteDatabase (in memory)', () => {
  describeDatabaseContract(async () => ({ db: await PgliteDatabase.open() }));

  it('is closed by close() and then refuses queries as unavailable', async () => {
    const db = await PgliteDatabase.open();
    await db.close();
    await db.close(); // twice is harmless
    await expect(db.query('SELECT 1')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });
});
