/**
 * Pipeline throughput: the whole stack (gateway, dispatcher, tax-service simulator as processes) on a Kafka broker
 * and a PostgreSQL server of its own, each gateway figure beside a raw baseline measured in the same run:
 *
 *   raw kafkajs send        one 1 KB JSON record per send, idempotent producer, acks=-1, one in-flight request
 *                           (the gateway's producer settings), C concurrent senders, same broker
 *   raw HTTP                GET /_sim/stats on the tax-service simulator (a plain Fastify round trip; the partner
 *                           API itself needs a JWS per request) and GET /health on the gateway (Nest + Fastify floor)
 *   async submit            POST /v1/messages (tax-service/GetTaxpayer) → 202, C concurrent clients (node fetch,
 *                           undici keep-alive); then the wait until the dispatcher has every accepted message
 *                           'replied' in the database (polled with pg), with submit → replied latency from the
 *                           row's created_at / updated_at
 *   end-to-end              POST /v1/exchange → 200 with the partner's reply, C concurrent clients
 *
 * plus RSS and CPU of every process (from /proc) per case. The load generator runs on the same machine.
 *
 *   node -r @swc-node/register bench/pipeline.bench.ts [--seconds 10] [--concurrency 16]
 *
 * Kafka listens on TEST_KAFKA_PORT (default here 39392), PostgreSQL on TEST_PG_PORT (default here 55455); whatever
 * this bench started it stops at the end, also on error or Ctrl-C. Whatever already ran there is used and left alone.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as net from 'node:net';
import { cpus, loadavg } from 'node:os';
import * as path from 'node:path';
import { CompressionTypes, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { Client } from 'pg';
import {
  ensureTestKafka,
  ensureTestPostgres,
  repoRoot,
  stopAllApps,
  stopTestKafka,
  stopTestPostgres,
  testKafkaPort,
  testKafkaSasl,
  testPostgresPort,
} from '@korpu/testing';
import { HttpAnswer, httpsRequest } from '../test/support/https-client';
import { startStack, Stack } from '../test/support/stack';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) || fallback : fallback;
};
const SECONDS = arg('--seconds', 10);
const CONCURRENCY = arg('--concurrency', 16);
const WARMUP_SECONDS = 1;
const CLIENT = 'MLSP/pensions';

// Private ports, so the bench never shares a broker or a server with a test run or `npm start`.
process.env.TEST_KAFKA_PORT ??= '39392';
process.env.TEST_PG_PORT ??= '55455';

interface Result {
  name: string;
  ok: number;
  errors: number;
  ops: number;
  p50: number;
  p99: number;
  firstError?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Process accounting (/proc): RSS and CPU per case.

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

interface Watched {
  name: string;
  pid: () => number | undefined;
  /** Count live children's CPU too (PostgreSQL: one backend per connection). */
  withChildren?: boolean;
}

function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
  } catch {
    return undefined;
  }
}

/** CPU seconds used so far: utime + stime (+ reaped children's, + live children's when asked). */
function cpuSeconds(pid: number, withChildren: boolean): number {
  const f = statFields(pid);
  if (!f) return 0;
  // f[0] is field 3; utime=14, stime=15, cutime=16, cstime=17
  let ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  if (withChildren) {
    for (const entry of readdirSafe('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const c = statFields(Number(entry));
      if (c && Number(c[1]) === pid) ticks += Number(c[11]) + Number(c[12]);
    }
  }
  return ticks / CLK_TCK;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function rssMb(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function pidFromFile(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0].trim());
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

class ProcessMonitor {
  /** name → case → { cpu %, peak RSS MB } */
  readonly byCase = new Map<string, Map<string, { cpu: number; peakRss?: number }>>();
  readonly idleRss = new Map<string, number | undefined>();
  readonly cases: string[] = [];

  constructor(private readonly watched: Watched[]) {}

  snapshotIdle(): void {
    for (const w of this.watched) this.idleRss.set(w.name, this.rss(w));
  }

  private rss(w: Watched): number | undefined {
    if (w.name === 'bench (load generator)') return process.memoryUsage().rss / 1024 / 1024;
    const pid = w.pid();
    return pid ? rssMb(pid) : undefined;
  }

  private cpu(w: Watched): number {
    if (w.name === 'bench (load generator)') {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1e6;
    }
    const pid = w.pid();
    return pid ? cpuSeconds(pid, w.withChildren ?? false) : 0;
  }

  /** Runs `fn` while sampling RSS every 250 ms; records CPU % over the whole call under `label`. */
  async during<T>(label: string, fn: () => Promise<T>): Promise<T> {
    this.cases.push(label);
    const before = this.watched.map((w) => this.cpu(w));
    const peaks = this.watched.map((w) => this.rss(w));
    const sample = (): void =>
      this.watched.forEach((w, i) => {
        const r = this.rss(w);
        if (r !== undefined) peaks[i] = Math.max(peaks[i] ?? 0, r);
      });
    const timer = setInterval(sample, 250);
    const started = process.hrtime.bigint();
    try {
      return await fn();
    } finally {
      clearInterval(timer);
      sample();
      const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
      this.watched.forEach((w, i) => {
        const perCase = this.byCase.get(w.name) ?? new Map<string, { cpu: number; peakRss?: number }>();
        perCase.set(label, { cpu: (100 * (this.cpu(w) - before[i])) / elapsed, peakRss: peaks[i] });
        this.byCase.set(w.name, perCase);
      });
    }
  }

  print(): void {
    const f = (n: number | undefined, d = 0): string => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(d));
    console.log(`\nprocesses: RSS MB (idle after start / peak during the bench), CPU % per case (100 % = one core)`);
    console.log(
      `${'process'.padEnd(26)} | ${'idle'.padStart(5)} ${'peak'.padStart(5)} | ${this.cases.map((c) => c.padStart(9)).join(' ')}`,
    );
    console.log('-'.repeat(42 + this.cases.length * 10));
    for (const w of this.watched) {
      const perCase = this.byCase.get(w.name);
      const peak = Math.max(...[...(perCase?.values() ?? [])].map((v) => v.peakRss ?? 0));
      const rssCells = w.withChildren
        ? `${'-'.padStart(5)} ${'-'.padStart(5)}`
        : `${f(this.idleRss.get(w.name)).padStart(5)} ${f(peak || undefined).padStart(5)}`;
      console.log(
        `${w.name.padEnd(26)} | ${rssCells} | ${this.cases.map((c) => f(perCase?.get(c)?.cpu).padStart(9)).join(' ')}`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Measurement.

let interrupted = false;

/** Runs `fn` from `workers` concurrent loops for SECONDS (after a warm-up); latency of each successful call. */
async function measure(name: string, workers: number, fn: () => Promise<true | string>): Promise<Result> {
  const runFor = async (
    seconds: number,
    record: boolean,
  ): Promise<{ samples: number[]; errors: number; firstError?: string; elapsed: number }> => {
    const samples: number[] = [];
    let errors = 0;
    let firstError: string | undefined;
    const started = process.hrtime.bigint();
    const end = started + BigInt(Math.round(seconds * 1e9));
    const loop = async (): Promise<void> => {
      while (!interrupted && process.hrtime.bigint() < end) {
        const t0 = process.hrtime.bigint();
        let outcome: true | string;
        try {
          outcome = await fn();
        } catch (error) {
          outcome = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        }
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (!record) continue;
        if (outcome === true) samples.push(ms);
        else {
          errors += 1;
          firstError ??= outcome;
        }
      }
    };
    await Promise.all(Array.from({ length: workers }, loop));
    return { samples, errors, firstError, elapsed: Number(process.hrtime.bigint() - started) / 1e9 };
  };
  await runFor(WARMUP_SECONDS, false);
  const { samples, errors, firstError, elapsed } = await runFor(SECONDS, true);
  samples.sort((a, b) => a - b);
  const q = (p: number): number => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] ?? NaN;
  const result: Result = {
    name,
    ok: samples.length,
    errors,
    ops: samples.length / elapsed,
    p50: q(0.5),
    p99: q(0.99),
    firstError,
  };
  console.log(
    `  ${name.padEnd(50)} ${result.ops.toFixed(0).padStart(7)}/s   p50 ${result.p50.toFixed(1).padStart(7)} ms   p99 ${result.p99
      .toFixed(1)
      .padStart(7)} ms${errors ? `   ${errors} errors (first: ${firstError})` : ''}`,
  );
  return result;
}

const ONE_KB_JSON = JSON.stringify({
  messageId: '01JBENCH000000000000000000',
  service: 'tax-service/GetTaxpayer',
  payload: { voen: '1400057421', filler: 'x'.repeat(1024 - 100) },
}).slice(0, 1024);

let voenCounter = 0;
/** A valid VÖEN (9 digits then 1 or 2), a new one per request (not starting 000: the simulator's not-found range). */
function nextVoen(): string {
  voenCounter = (voenCounter + 1) % 800_000_000;
  return `${100_000_000 + voenCounter}${voenCounter % 2 ? '1' : '2'}`;
}

/** A subsystem's request to the internal API: HTTPS with its TLS client certificate, kept-alive connections. */
async function post(url: string, body: unknown): Promise<HttpAnswer> {
  return httpsRequest(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-road-client': CLIENT },
    body: JSON.stringify(body),
    identity: 'pensions',
    timeoutMs: 30000,
  });
}

async function expectStatus(response: Response | HttpAnswer, status: number): Promise<true | string> {
  const text = 'text' in response && typeof response.text === 'string' ? response.text : await (response as Response).text(); // drain: keeps the connection reusable
  return response.status === status ? true : `HTTP ${response.status} ${text.slice(0, 200)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Infrastructure, started and stopped by this bench.

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

interface Owned {
  /** This bench is (or was) starting them: it stops them at the end. */
  kafka: boolean;
  postgres: boolean;
  stack?: Stack;
  producer?: Producer;
  kafka$?: Kafka;
  benchTopic?: string;
}

const owned: Owned = { kafka: false, postgres: false };
let cleaning: Promise<void> | undefined;

/** Stops everything this bench started, once (the normal end, an error and Ctrl-C all come here). */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    const step = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
      try {
        await fn();
      } catch (error) {
        console.error(`cleanup: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    if (owned.producer) await step('disconnect the producer', () => owned.producer!.disconnect());
    if (owned.stack) await step('stop the stack', () => owned.stack!.stop());
    await step('stop the apps', () => stopAllApps()); // a stack interrupted while starting
    if (owned.kafka$ && !owned.kafka) {
      // A broker that is not ours stays; the topics of this run go.
      const prefix = owned.stack?.env.KAFKA_TOPIC_PREFIX;
      await step('delete the topics of this run', async () => {
        const admin = owned.kafka$!.admin();
        await admin.connect();
        try {
          const topics = (await admin.listTopics()).filter(
            (t) => t === owned.benchTopic || (prefix && t.startsWith(`${prefix}.`)),
          );
          if (topics.length) await admin.deleteTopics({ topics, timeout: 10000 });
        } finally {
          await admin.disconnect();
        }
      });
    }
    if (owned.postgres) await step('stop PostgreSQL', () => stopTestPostgres());
    if (owned.kafka) await step('stop Kafka', () => stopTestKafka());
  })();
  return cleaning;
}

function onSignal(signal: NodeJS.Signals): void {
  if (interrupted) {
    console.error(`\n${signal} again: exiting without waiting for the clean-up`);
    process.exit(130);
  }
  interrupted = true;
  console.error(`\n${signal}: stopping the stack and the infrastructure this bench started…`);
  void cleanup().finally(() => process.exit(130));
}

// ---------------------------------------------------------------------------------------------------------------

async function waitForReplies(databaseUrl: string, ids: string[], timeoutMs: number): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    let replied = 0;
    while (!interrupted && Date.now() < deadline) {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM messages WHERE status = 'replied' AND message_id = ANY($1)`,
        [ids],
      );
      replied = Number(rows[0].n);
      if (replied === ids.length) return replied;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return replied;
  } finally {
    await client.end();
  }
}

async function pipelineLatency(
  databaseUrl: string,
  ids: string[],
): Promise<{ p50: number; p99: number; spanSeconds: number; statuses: Record<string, number> }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ p50: number; p99: number; span: number }>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM updated_at - created_at)) * 1000 AS p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM updated_at - created_at)) * 1000 AS p99,
              extract(epoch FROM max(updated_at) - min(created_at)) AS span
         FROM messages WHERE status = 'replied' AND message_id = ANY($1)`,
      [ids],
    );
    const byStatus = await client.query<{ status: string; n: string }>(
      `SELECT status, count(*) AS n FROM messages WHERE message_id = ANY($1) GROUP BY status`,
      [ids],
    );
    return {
      p50: Number(rows[0].p50),
      p99: Number(rows[0].p99),
      spanSeconds: Number(rows[0].span),
      statuses: Object.fromEntries(byStatus.rows.map((r) => [r.status, Number(r.n)])),
    };
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const loadBefore = loadavg();
  const t0 = Date.now();

  // Infrastructure: a port that is closed now is one this bench starts, hence stops (even if interrupted mid-start).
  owned.kafka = !(await portOpen(testKafkaPort()));
  const kafkaInfra = await ensureTestKafka();
  owned.kafka = kafkaInfra.startedByUs;
  owned.postgres = !(await portOpen(testPostgresPort()));
  const postgresInfra = await ensureTestPostgres();
  owned.postgres = postgresInfra.startedByUs;
  process.env.KAFKA_BROKERS = kafkaInfra.brokers;
  process.env.TEST_DATABASE_URL = postgresInfra.url;
  if (interrupted) return;
  console.log(
    `Kafka ${kafkaInfra.brokers} (${owned.kafka ? 'started' : 'already running'}), PostgreSQL 127.0.0.1:${testPostgresPort()} (${owned.postgres ? 'started' : 'already running'}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );

  const t1 = Date.now();
  owned.stack = await startStack({ exchangeTimeoutMs: 30000 });
  const stack = owned.stack;
  if (interrupted) return;
  console.log(`stack (simulators, dispatcher, gateway) ready in ${((Date.now() - t1) / 1000).toFixed(1)} s`);

  const kafkaPid = (): number | undefined =>
    pidFromFile(path.join(repoRoot, `.local/kafka-${testKafkaPort()}/kafka.pid`));
  const postgresPid = (): number | undefined =>
    pidFromFile(path.join(repoRoot, `.local/postgres-${testPostgresPort()}/pgdata/postmaster.pid`));
  const monitor = new ProcessMonitor([
    { name: 'gateway', pid: () => stack.gateway.child.pid },
    ...stack.dispatchers.map((d, i) => ({ name: `dispatcher-${i + 1}`, pid: () => d.child.pid })),
    { name: 'simulators (tax-service)', pid: () => stack.simulators.child.pid },
    { name: 'bench (load generator)', pid: () => process.pid },
    { name: 'kafka broker (JVM)', pid: kafkaPid },
    { name: 'postgresql (+ backends)', pid: postgresPid, withChildren: true },
  ]);
  monitor.snapshotIdle();
  if (!existsSync(path.join(repoRoot, `.local/kafka-${testKafkaPort()}/kafka.pid`)))
    console.log('(no Kafka pid file: broker not watched)');

  console.log(
    `\npipeline bench: ${SECONDS} s per case after ${WARMUP_SECONDS} s warm-up, concurrency ${CONCURRENCY}, node ${process.version}, ${cpus().length} CPUs, ` +
      `load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}\n`,
  );

  // 1. Raw Kafka: the gateway's producer settings, one record per send, on a topic of the same partition count.
  owned.kafka$ = new Kafka({ clientId: 'pipeline-bench', brokers: [kafkaInfra.brokers], sasl: testKafkaSasl('admin'), logLevel: logLevel.WARN });
  owned.benchTopic = `pipeline-bench-${process.pid}-${Date.now()}`;
  const admin = owned.kafka$.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic: owned.benchTopic, numPartitions: 3, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  await admin.disconnect();
  owned.producer = owned.kafka$.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await owned.producer.connect();
  const producer = owned.producer;
  const topic = owned.benchTopic;
  const rawKafka = await monitor.during('kafka', () =>
    measure('raw kafkajs send, 1 KB, idempotent, acks=-1', CONCURRENCY, async () => {
      await producer.send({
        topic,
        acks: -1,
        compression: CompressionTypes.None,
        messages: [{ key: randomBytes(8).toString('hex'), value: ONE_KB_JSON }],
      });
      return true;
    }),
  );
  await producer.disconnect();
  owned.producer = undefined;
  if (interrupted) return;

  // 2. Raw HTTP round trips: the simulator's stats (plain Fastify) and the gateway's liveness (Nest + Fastify).
  const taxUrl = stack.simulatorUrls['tax-service'] ?? stack.taxServiceUrl;
  await fetch(`${taxUrl}/_sim/reset`, { method: 'POST' }).then((r) => r.text());
  const rawHttp = await monitor.during('sim-http', () =>
    measure('raw HTTP GET /_sim/stats (simulator)', CONCURRENCY, async () =>
      expectStatus(await fetch(`${taxUrl}/_sim/stats`, { signal: AbortSignal.timeout(30000) }), 200),
    ),
  );
  const health = await monitor.during('health', () =>
    measure('gateway GET /health (HTTP floor)', CONCURRENCY, async () =>
      expectStatus(await httpsRequest(`${stack.gatewayUrl}/health`, { identity: 'pensions', timeoutMs: 30000 }), 200),
    ),
  );
  if (interrupted) return;

  // 3. Async submit: 202 once Kafka holds the message; then wait until the dispatcher has every one replied.
  const accepted: string[] = [];
  const submit = await monitor.during('submit', () =>
    measure('gateway POST /v1/messages → 202', CONCURRENCY, async () => {
      const response = await post(`${stack.gatewayUrl}/v1/messages`, {
        service: 'tax-service/GetTaxpayer',
        payload: { voen: nextVoen() },
      });
      if (response.status !== 202) return expectStatus(response, 202);
      accepted.push((response.body as { messageId: string }).messageId);
      return true;
    }),
  );
  if (interrupted) return;
  const drainStarted = process.hrtime.bigint();
  const replied = await monitor.during('drain', () => waitForReplies(stack.databaseUrl, accepted, 120000));
  const drainSeconds = Number(process.hrtime.bigint() - drainStarted) / 1e9;
  if (interrupted) return;
  const pipeline = await pipelineLatency(stack.databaseUrl, accepted);
  console.log(
    `  async pipeline: ${replied}/${accepted.length} accepted messages 'replied' (incl. warm-up), ${drainSeconds.toFixed(1)} s after the last 202; ` +
      `first submit → last reply ${pipeline.spanSeconds.toFixed(1)} s = ${(replied / pipeline.spanSeconds).toFixed(0)} delivered/s; ` +
      `submit → replied p50 ${pipeline.p50.toFixed(0)} ms, p99 ${pipeline.p99.toFixed(0)} ms`,
  );
  if (replied !== accepted.length) console.log(`  statuses: ${JSON.stringify(pipeline.statuses)}`);

  // 4. End-to-end: sync exchange through Kafka, the dispatcher (sign, deliver, verify), the partner and back.
  const exchange = await monitor.during('exchange', () =>
    measure('gateway POST /v1/exchange → 200 (end-to-end)', CONCURRENCY, async () =>
      expectStatus(
        await post(`${stack.gatewayUrl}/v1/exchange`, {
          service: 'tax-service/GetTaxpayer',
          payload: { voen: nextVoen() },
        }),
        200,
      ),
    ),
  );
  if (interrupted) return;

  // Table.
  const rows: { result: Result; base?: Result; baseName?: string }[] = [
    { result: rawKafka },
    { result: rawHttp },
    { result: health, base: rawHttp, baseName: 'raw HTTP' },
    { result: submit, base: rawKafka, baseName: 'raw Kafka' },
    { result: exchange, base: rawKafka, baseName: 'raw Kafka' },
  ];
  const f = (n: number, d = 0): string => (Number.isNaN(n) ? '-' : n.toFixed(d));
  console.log(`\n${'case'.padEnd(46)} |    ok/s  p50 ms  p99 ms  errors | ratio to baseline`);
  console.log('-'.repeat(100));
  for (const { result, base, baseName } of rows) {
    console.log(
      `${result.name.padEnd(46)} | ${f(result.ops).padStart(7)} ${f(result.p50, 1).padStart(7)} ${f(result.p99, 1).padStart(7)} ${String(result.errors).padStart(7)} | ` +
        (base ? `${f(result.ops / base.ops, 2)}x of ${baseName}` : 'baseline'),
    );
  }
  console.log(
    `${'async pipeline, submit → replied (from the DB)'.padEnd(46)} | ${f(replied / pipeline.spanSeconds).padStart(7)} ${f(pipeline.p50, 1).padStart(7)} ${f(pipeline.p99, 1).padStart(7)} ${String(accepted.length - replied).padStart(7)} | ` +
      `${f(replied / pipeline.spanSeconds / rawKafka.ops, 2)}x of raw Kafka`,
  );
  console.log(
    `\nratios: submit ${f(submit.ops / rawKafka.ops, 2)}x of raw Kafka sends, exchange ${f(exchange.ops / rawKafka.ops, 3)}x of raw Kafka sends and ` +
      `${f(exchange.ops / submit.ops, 2)}x of async submits; gateway /health ${f(health.ops / rawHttp.ops, 2)}x of the simulator's raw HTTP`,
  );
  monitor.print();
  const loadAfter = loadavg();
  console.log(
    `\nload average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`,
  );
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    const t = Date.now();
    await cleanup();
    if (!interrupted) console.log(`cleaned up in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  });
