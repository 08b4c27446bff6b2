import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '../../..');
const script = path.join(repoRoot, 'deploy/local/postgres.sh');

/** The test server listens on its own port so it never touches a developer's `npm start` server (55432). */
export function testPostgresPort(): number {
  // Test ports sit below the kernel's ephemeral range (32768-60999 on Linux): a port in it can be taken by some
  // process's outgoing connection between our check and our bind.
  return Number(process.env.TEST_PG_PORT ?? 25433);
}

/** How the test server is started: `durable` as a deployment runs it (the benches), else as a throw-away server. */
export interface TestPostgresOptions {
  durable?: boolean;
  /** pg_stat_statements loaded (per-statement counters, for a bench): only when this call starts the server. */
  statementStats?: boolean;
}

function postgresEnv(options: TestPostgresOptions = {}): NodeJS.ProcessEnv {
  // Throw-away (tests): fsync off, commits not waiting for their WAL flush; CREATE DATABASE per test file is much faster.
  // Durable (benches): both on, so a figure includes what a deployment pays for a commit that survives a crash.
  const durable = options.durable ? 'on' : 'off';
  return {
    ...process.env,
    PGPORT_LOCAL: String(testPostgresPort()),
    POSTGRES_FSYNC: durable,
    POSTGRES_SYNCHRONOUS_COMMIT: durable,
    POSTGRES_STATEMENT_STATS: options.statementStats ? 'on' : 'off',
  };
}

async function postgresSh(command: 'start' | 'stop' | 'status' | 'url', options?: TestPostgresOptions): Promise<string> {
  const { stdout, stderr } = await run('bash', [script, command], { env: postgresEnv(options), maxBuffer: 1 << 20 });
  if (stderr.trim() && command !== 'status') process.stderr.write(stderr);
  return stdout.trim();
}

export async function isTestPostgresRunning(): Promise<boolean> {
  try {
    await postgresSh('status');
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts the real PostgreSQL server for tests (deploy/local/postgres.sh on TEST_PG_PORT, default 25433) unless one
 * already answers there; says whether it started it. `url` is the application database; tests should not use it
 * directly but call `createTestDatabase(url)` for a database of their own.
 */
export async function ensureTestPostgres(options?: TestPostgresOptions): Promise<{ url: string; startedByUs: boolean }> {
  const startedByUs = !(await isTestPostgresRunning());
  await postgresSh('start', options); // also when running: waits until ready and makes sure the role and database exist
  return { url: await postgresSh('url'), startedByUs };
}

/**
 * How durable the server at `url` is (`SHOW fsync`, `SHOW synchronous_commit`), for a bench's header: a server
 * found running keeps the settings it was started with.
 */
export async function postgresDurability(url: string): Promise<{ fsync: string; synchronousCommit: string; durable: boolean }> {
  return withClient(url, async (client) => {
    const fsync = (await client.query<{ fsync: string }>('SHOW fsync')).rows[0].fsync;
    const synchronousCommit = (await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0].synchronous_commit;
    return { fsync, synchronousCommit, durable: fsync === 'on' && synchronousCommit !== 'off' };
  });
}

/** One line for a bench's header and notes: the server's durability settings, flagged when they are not a deployment's. */
export function describeDurability(d: { fsync: string; synchronousCommit: string; durable: boolean }): string {
  return `PostgreSQL fsync=${d.fsync}, synchronous_commit=${d.synchronousCommit}${d.durable ? ' (durable, as deployed)' : ' (NOT durable: a test server found running; stop it to measure durably)'}`;
}

export async function stopTestPostgres(): Promise<void> {
  await postgresSh('stop');
}

export interface TestDatabase {
  /** URL of the new database (same server and credentials as the base URL). */
  url: string;
  /** Drops the database, closing whatever connections are still open on it. */
  drop(): Promise<void>;
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a fresh, uniquely named database on the server of `baseUrl`, so test files can run in parallel
 * without sharing data. Call `drop()` in afterAll.
 */
export async function createTestDatabase(baseUrl: string): Promise<TestDatabase> {
  const name = `korpu_test_${process.pid}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await withClient(baseUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => dropDatabase(baseUrl, name),
  };
}

/**
 * DROP ... WITH (FORCE) ends the test's own sessions, but not an autovacuum worker (it runs as the bootstrap
 * superuser: 42501), which is busy on a fresh database after a server restart for a moment: try again then.
 */
async function dropDatabase(baseUrl: string, name: string, attempts = 20): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await withClient(baseUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '42501' || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
