import { PgliteDatabase } from './pglite-database.adapter';
import { describeDatabaseContract } from './testing/database.contract';

// The same contract runs against the real server in pg-database.adapter.int-spec.ts.
describe('PgliteDatabase (in memory)', () => {
  describeDatabaseContract(async () => ({ db: await PgliteDatabase.open() }));
});
