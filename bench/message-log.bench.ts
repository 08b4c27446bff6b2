/**
 * Message log append throughput: 1 KB payloads, plain and AES-256-GCM encrypted, one at a time and with
 * concurrent callers (the MessageLog batches queued appends into one transaction; "unbatched" = one transaction
 * per append, all contending for the chain head row), each beside a raw INSERT into a plain table of the same
 * columns in the same run. Also the verifier's speed.
 *
 *   node -r @swc-node/register bench/message-log.bench.ts [--seconds 3] [--concurrency 16]
 *
 * Against PostgreSQL, the store the apps run on: DATABASE_URL when set, else the project's test server on TEST_PG_PORT
 * (started and stopped here when not running), in a throw-away schema dropped at the end. `--pglite`: PGlite in memory
 * (a one-process store: its round trips cost nothing, so it shows the SQL's own cost, not a deployment's).
 */
import { randomBytes } from 'node:crypto';
import { loadMigrations, MigrationRunner, PgDatabase, PgliteDatabase, Database } from '../libs/store/src';
import {
  MESSAGE_LOG_MIGRATIONS,
  MessageLog,
  MessageLogRepository,
  PayloadCipher,
  VerifyMessageLogUseCase,
  LogEntry,
  LogEvent,
} from '../libs/message-log/src';
import { ensureTestPostgres, postgresDurability, stopTestPostgres } from '../libs/testing/src';
import { reportCases } from './support/cases';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) || fallback : fallback;
};
const SECONDS = arg('--seconds', 3);
const CONCURRENCY = arg('--concurrency', 16);

interface Result {
  name: string;
  ops: number;
  p50: number;
  p99: number;
  rssMb: number;
}

const PAYLOAD = JSON.stringify({
  pin: '5ABC123',
  name: 'Aysel Mammadova',
  city: 'Baku',
  filler: 'x'.repeat(1024 - 75),
});

/**
 * A signature of a real record's size: the gateway's detached JWS (RS256) carries its certificate chain in the
 * protected header (x5c: leaf and intermediate, ~1.3 KB of DER each, base64 in base64url), 3.9 KB in all, and the
 * record keeps the signer's certificate (PEM, 1.4 KB). DER is mostly keys and signatures: random bytes stand for it.
 */
const SIGNATURE_VALUE = `${Buffer.from(
  JSON.stringify({ alg: 'RS256', kid: 'gateway-rsa', x5c: [randomBytes(1320).toString('base64'), randomBytes(1290).toString('base64')], b64: false, crit: ['b64'] }),
).toString('base64url')}..${randomBytes(256).toString('base64url')}`;
const SIGNER_CERTIFICATE = `-----BEGIN CERTIFICATE-----\n${randomBytes(1000).toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;

let n = 0;
function entry(): LogEntry {
  const id = `01JBENCH${String(++n).padStart(18, '0')}`;
  return {
    event: LogEvent.RECEIVED,
    messageId: id,
    correlationId: id,
    direction: 'outbound',
    client: 'MLSP/pensions',
    service: 'population-registry/getPerson',
    messageType: 'GetPersonRequest',
    schemaVersion: '1.0',
    contentType: 'application/json',
    payload: PAYLOAD,
    signature: { format: 'jws', value: SIGNATURE_VALUE, verification: 'verified', certificate: SIGNER_CERTIFICATE },
  };
}

/** Runs `fn` from `workers` concurrent loops for SECONDS; latency per call. */
async function measure(name: string, workers: number, fn: () => Promise<unknown>): Promise<Result> {
  for (let i = 0; i < 20; i++) await fn(); // warm-up
  const samples: number[] = [];
  const started = process.hrtime.bigint();
  const end = started + BigInt(Math.round(SECONDS * 1e9));
  const loop = async (): Promise<void> => {
    while (process.hrtime.bigint() < end) {
      const t0 = process.hrtime.bigint();
      await fn();
      samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: workers }, loop));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  samples.sort((a, b) => a - b);
  const q = (p: number): number => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))];
  const result = {
    name,
    ops: samples.length / elapsed,
    p50: q(0.5),
    p99: q(0.99),
    rssMb: process.memoryUsage().rss / 1024 / 1024,
  };
  console.log(
    `${name.padEnd(44)} ${result.ops.toFixed(0).padStart(8)} ops/s   p50 ${result.p50.toFixed(2).padStart(7)} ms   p99 ${result.p99
      .toFixed(2)
      .padStart(7)} ms   rss ${result.rssMb.toFixed(0)} MB`,
  );
  return result;
}

const RAW_TABLE = `CREATE TABLE bench_raw_insert (
  id bigserial PRIMARY KEY, event text NOT NULL, message_id text NOT NULL, correlation_id text NOT NULL,
  direction text NOT NULL, client text NOT NULL, service text NOT NULL, message_type text NOT NULL,
  schema_version text NOT NULL, occurred_at timestamptz NOT NULL, logged_at timestamptz NOT NULL DEFAULT now(),
  content_type text, payload text, signature_format text, signature_value text, signature_verification text,
  signer_certificate text)`;

async function rawInsert(db: Database): Promise<void> {
  const e = entry();
  await db.query(
    `INSERT INTO bench_raw_insert (event, message_id, correlation_id, direction, client, service, message_type, schema_version,
       occurred_at, content_type, payload, signature_format, signature_value, signature_verification, signer_certificate)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      e.event,
      e.messageId,
      e.correlationId,
      e.direction,
      e.client,
      e.service,
      e.messageType,
      e.schemaVersion,
      new Date().toISOString(),
      e.contentType,
      e.payload,
      e.signature!.format,
      e.signature!.value,
      e.signature!.verification,
      e.signature!.certificate,
    ],
  );
}

async function open(): Promise<{ db: Database; label: string; cleanup: () => Promise<void> }> {
  if (process.argv.includes('--pglite')) return { db: await PgliteDatabase.open(), label: 'PGlite (in memory)', cleanup: async () => undefined };
  let url = process.env.DATABASE_URL;
  let stopServer = async (): Promise<void> => undefined;
  if (!url) {
    const server = await ensureTestPostgres({ durable: true });
    url = server.url;
    if (server.startedByUs) stopServer = stopTestPostgres;
  }
  const schema = `message_log_bench_${process.pid}`;
  const admin = new PgDatabase({ url, poolSize: 1 });
  await admin.execScript(`CREATE SCHEMA ${schema}`);
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  const db = new PgDatabase({
    url: scoped.toString(),
    poolSize: CONCURRENCY + 2,
    applicationName: 'message-log-bench',
  });
  const safe = new URL(url);
  safe.password = '';
  return {
    db,
    label: `PostgreSQL ${safe.host}${safe.pathname} (schema ${schema}; ${(await postgresDurability(url)).durable ? 'durable' : 'NOT durable'})`,
    cleanup: async () => {
      await db.close();
      await admin.execScript(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
      await stopServer();
    },
  };
}

async function main(): Promise<void> {
  const { db, label, cleanup } = await open();
  try {
    await new MigrationRunner(db).run(loadMigrations([MESSAGE_LOG_MIGRATIONS]));
    await db.execScript(RAW_TABLE);
    const repository = new MessageLogRepository(db);
    const keys = { k1: randomBytes(32).toString('base64') };
    const plain = new MessageLog(repository, new PayloadCipher());
    const encrypted = new MessageLog(repository, new PayloadCipher(keys, 'k1'));
    const unbatched = new MessageLog(repository, new PayloadCipher(), { maxBatchSize: 1 });
    console.log(
      `message log bench on ${label}: 1 KB payloads, signed (${SIGNATURE_VALUE.length} B JWS, ${SIGNER_CERTIFICATE.length} B certificate), ${SECONDS}s each, concurrency ${CONCURRENCY}, node ${process.version}\n`,
    );

    const raw1 = await measure('raw INSERT, one at a time', 1, () => rawInsert(db));
    const plain1 = await measure('append, one at a time', 1, () => plain.append(entry()));
    const enc1 = await measure('append encrypted, one at a time', 1, () => encrypted.append(entry()));
    const rawN = await measure(`raw INSERT, ${CONCURRENCY} concurrent`, CONCURRENCY, () => rawInsert(db));
    const plainN = await measure(`append, ${CONCURRENCY} concurrent (batched)`, CONCURRENCY, () =>
      plain.append(entry()),
    );
    const encN = await measure(`append encrypted, ${CONCURRENCY} concurrent (batched)`, CONCURRENCY, () =>
      encrypted.append(entry()),
    );
    const unbN = await measure(`append, ${CONCURRENCY} concurrent, unbatched`, CONCURRENCY, () =>
      unbatched.append(entry()),
    );

    const started = process.hrtime.bigint();
    const report = await new VerifyMessageLogUseCase(repository).execute();
    const verifySeconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(
      `\nverify: ${report.checkedRecords} records in ${verifySeconds.toFixed(2)} s = ${(report.checkedRecords / verifySeconds).toFixed(0)} records/s (${report.ok ? 'intact' : 'BROKEN'})`,
    );

    const c = (name: string, r: Result, baseline?: string) => ({ name, opsPerSec: r.ops, p50Ms: r.p50, p99Ms: r.p99, errors: 0, ...(baseline ? { baseline } : {}), note: label });
    reportCases([
      c('message-log-raw-insert-1', raw1),
      c('message-log-append-1', plain1, 'message-log-raw-insert-1'),
      c('message-log-append-encrypted-1', enc1, 'message-log-raw-insert-1'),
      c(`message-log-raw-insert-${CONCURRENCY}`, rawN),
      c(`message-log-append-${CONCURRENCY}`, plainN, `message-log-raw-insert-${CONCURRENCY}`),
      c(`message-log-append-encrypted-${CONCURRENCY}`, encN, `message-log-raw-insert-${CONCURRENCY}`),
      c(`message-log-append-unbatched-${CONCURRENCY}`, unbN, `message-log-raw-insert-${CONCURRENCY}`),
      { name: 'message-log-verify', opsPerSec: report.checkedRecords / verifySeconds, p50Ms: NaN, p99Ms: NaN, errors: report.ok ? 0 : 1, note: `${report.checkedRecords} records` },
    ]);

    const ratio = (x: Result, base: Result): string => `${(x.ops / base.ops).toFixed(2)}x`;
    console.log('\nratios (appends/s ÷ raw INSERTs/s):');
    console.log(
      `  one at a time:        plain ${ratio(plain1, raw1)}, encrypted ${ratio(enc1, raw1)}; encrypted/plain ${ratio(enc1, plain1)}`,
    );
    console.log(
      `  ${CONCURRENCY} concurrent:        plain ${ratio(plainN, rawN)}, encrypted ${ratio(encN, rawN)}, unbatched ${ratio(unbN, rawN)}; encrypted/plain ${ratio(encN, plainN)}`,
    );
  } finally {
    await cleanup();
    await db.close().catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
