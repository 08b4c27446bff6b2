import { loadMigrations, MigrationRunner, PgDatabase } from '@korpu/store';
import { createTestDatabase, TestDatabase } from '@korpu/testing';
import { AccessControlService } from './access-control.service';
import { AccessRightsCache } from './access-rights.cache';
import { AccessRightsRepository } from './access-rights.repository';
import { AccessErrorCode } from './access.exception';
import { ACCESS_MIGRATIONS } from './access.module';

// Two instances (each its own pool, listener and cache) over one real PostgreSQL database, as two gateways are.
interface Instance {
  db: PgDatabase;
  rights: AccessRightsRepository;
  cache: AccessRightsCache;
  access: AccessControlService;
}

let testDb: TestDatabase;
const instances: Instance[] = [];

async function instance(name: string): Promise<Instance> {
  const db = new PgDatabase({ url: testDb.url, poolSize: 4, applicationName: name });
  const rights = new AccessRightsRepository(db);
  const cache = new AccessRightsCache(db, rights);
  await cache.onModuleInit();
  const created = { db, rights, cache, access: new AccessControlService(rights, cache) };
  instances.push(created);
  return created;
}

const SERVICE = 'tax-service/GetTaxpayer';

async function codeOf(check: Promise<void>): Promise<string> {
  try {
    await check;
    return 'allowed';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

/** Polls until the check gives `code` and says how long that took; fails after `withinMs`. */
async function until(access: AccessControlService, client: string, code: string, withinMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    if ((await codeOf(access.check(client, SERVICE))) === code) return Date.now() - started;
    if (Date.now() - started > withinMs) throw new Error(`check did not turn ${code} within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set: run through the integration project (global set-up)');
  testDb = await createTestDatabase(base);
  const setup = new PgDatabase({ url: testDb.url, poolSize: 1 });
  await new MigrationRunner(setup).run(loadMigrations([ACCESS_MIGRATIONS]));
  await new AccessRightsRepository(setup).seed([{ clientId: 'MLSP/pensions', name: 'Pensions', services: [SERVICE] }], 'test');
  await setup.close();
});

afterAll(async () => {
  for (const { cache, db } of instances.splice(0)) {
    await cache.onApplicationShutdown();
    await db.close();
  }
  await testDb?.drop();
});

describe('Access rights cache across instances (real PostgreSQL, LISTEN/NOTIFY)', () => {
  it('answers from memory once loaded, and a revocation through one instance applies on the other within a second', async () => {
    const [one, other] = [await instance('korpu-one'), await instance('korpu-other')];
    await Promise.all([one.cache.settled(), other.cache.settled()]);
    expect(other.cache.standing('MLSP/pensions', SERVICE)).toEqual({ status: 'active', granted: true });
    expect(other.cache.standing('MLSP/nobody', SERVICE)).toBeUndefined();
    expect(await codeOf(other.access.check('MLSP/pensions', SERVICE))).toBe('allowed');

    await one.rights.revoke('MLSP/pensions', SERVICE, 'test');
    const took = await until(other.access, 'MLSP/pensions', AccessErrorCode.ACCESS_DENIED, 1000);
    expect(took).toBeLessThan(1000);
    await other.cache.settled();
    expect(other.cache.standing('MLSP/pensions', SERVICE)).toEqual({ status: 'active', granted: false });

    await one.rights.grant('MLSP/pensions', SERVICE, 'test');
    await until(other.access, 'MLSP/pensions', 'allowed', 1000);
  });

  it('applies a change made by hand in SQL too (the trigger notifies, not the repository)', async () => {
    const [one, other] = [instances[0], instances[1]];
    await one.db.query(`UPDATE access_clients SET status = 'disabled' WHERE client_id = $1`, ['MLSP/pensions']);
    await until(other.access, 'MLSP/pensions', AccessErrorCode.CLIENT_DISABLED, 1000);
    await one.db.query(`UPDATE access_clients SET status = 'active' WHERE client_id = $1`, ['MLSP/pensions']);
    await until(other.access, 'MLSP/pensions', 'allowed', 1000);
  });

  it('reads the database while its listening connection is gone, and trusts itself again once it listens again', async () => {
    const [one, other] = [instances[0], instances[1]];
    await other.cache.settled();
    // Cut the other instance's listening connection, then revoke while it cannot hear of it.
    await one.db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'korpu-other-listen'`);
    await until(other.access, 'MLSP/pensions', 'allowed', 1000);
    const offline = Date.now();
    while (other.cache.standing('MLSP/pensions', SERVICE) !== null && Date.now() - offline < 2000) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(other.cache.standing('MLSP/pensions', SERVICE)).toBeNull();
    await one.rights.revoke('MLSP/pensions', SERVICE, 'test');
    expect(await codeOf(other.access.check('MLSP/pensions', SERVICE))).toBe(AccessErrorCode.ACCESS_DENIED);
    // It reconnects by itself and reloads.
    const back = Date.now();
    while (other.cache.standing('MLSP/pensions', SERVICE) === null && Date.now() - back < 10000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(other.cache.standing('MLSP/pensions', SERVICE)).toEqual({ status: 'active', granted: false });
  });
});
