/**
 * Pipeline throughput: Körpü's apps as processes (gateway, dispatcher, tax-service simulator) on a Kafka broker and a
 * PostgreSQL server of its own, each figure beside a baseline measured in the same run, all load from autocannon
 * (HTTP/1.1 keep-alive connections, the same settings for every case of a kind):
 *
 *   raw-pipeline        bench/raw-pipeline: Fastify + Ajv + @platformatic/kafka (acks=all, idempotent, SASL), 1 ms
 *                       micro-batching of concurrent sends; also one send per request, and kafkajs both ways
 *   peer-camel          bench/peer-camel: an Apache Camel route (Spring Boot, platform-http, json-validator,
 *                       camel-kafka acks=all + idempotence + SASL), the same JSON to the same broker
 *   submit              POST /v1/messages → 202 (HTTPS, TLS client certificate), no dispatcher running
 *   drain               N messages submitted with no dispatcher, then one started: delivered/s from the database
 *                       (first to last 'replied'); also spread over 4 and 16 partner topics
 *   isolation-*         the tax service's drain alone, then again while the population registry answers every
 *                       call in 2 s with its own messages queued, alternating twice: the ratio of the means (≥ 0.9)
 *   exchange-Nrps       POST /v1/exchange → 200 at a fixed N requests/s (open loop, vegeta), p99 the figure;
 *                       beside direct-http-Nrps: GET /_sim/stats on the simulator at the same rate
 *   soak-submit         RSS of the gateway and the dispatcher across --soak-messages submits (delivered meanwhile)
 *   inbound-soap        the portal's signed SOAP call (GetPensionEntitlement, ~1 KB) → partner endpoint (signature,
 *                       X-Road headers, identity, XSD, access) → Kafka → subsystem callback → the signed reply, closed
 *                       loop; beside inbound-soap-xml-crypto: xml-crypto signing and verifying the same message
 *
 * and submit / raw-pipeline at 1 KB, 10 KB (and raw at 100 KB) payloads.
 *
 *   node -r @swc-node/register bench/pipeline.bench.ts [--seconds 10] [--connections 32] [--drain-messages 2000]
 *        [--soak-messages 3000] [--soak-rate 0] [--cpu-prof] [--pg-statements] [--only raw,peer,submit,drain,isolation,idle,exchange,soak,inbound]  [--partner-concurrency N]
 *        [--exchange-rates 25,200,500]
 *
 * --cpu-prof starts every Node app with `--cpu-prof --cpu-prof-dir bench/results/profiles` (names in
 * profiles/apps.json; print the top functions with bench/cpu-profile-top.ts). A soak of 200,000 messages:
 * `--soak-messages 200000 --only soak` (about 200000 / submits-per-second seconds); `--soak-rate 300` paces the submits
 * below the drain, so every app is busy to the end (200,000 in about 11 minutes). --pg-statements starts PostgreSQL with
 * pg_stat_statements and prints, per case, its heaviest statements per message (calls, server time, rows, WAL).
 *
 * Kafka listens on TEST_KAFKA_PORT (default here 39392), PostgreSQL on TEST_PG_PORT (default here 55455); whatever
 * this bench started it stops at the end, also on error or Ctrl-C. Whatever already ran there is used and left alone.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, cpSync, mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import * as net from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import {
  AppProcess,
  ensureTestKafka,
  describeDurability,
  ensureTestPostgres,
  postgresDurability,
  freePort,
  kafkaCredentialsEnv,
  repoRoot,
  startApp,
  stopAllApps,
  stopTestKafka,
  stopTestPostgres,
  testKafkaPort,
  testKafkaSasl,
  testPostgresPort,
} from '@korpu/testing';
import { ensureDevPki } from '../certs-dev/dev-pki';
import { newMessageId } from '@korpu/envelope';
import { loadInboundCatalogue } from '@korpu/inbound';
import { createSignatureServices } from '@korpu/signature';
import { XROAD_PROTOCOL_VERSION, buildXRoadMessage, xroadClientFor } from '@korpu/xroad';
import { EGOV_PORTAL_CLIENT, requestPayload } from '../apps/simulators/src/egov-portal/egov-portal.simulator';
import { DEV_PKI_DIR } from '../test/support/https-client';
import { simulator } from '../test/support/contracts';
import { startStack, Stack } from '../test/support/stack';
import { BenchCase, reportCases, reportNotes } from './support/cases';
import { httpLoad, HttpLoad, loadCase } from './support/http-load';
import { measure } from './support/measure';
import { pacedLoad, PacedLoad } from './support/paced-load';
import { pidFromFile, ProcessMonitor, sampleRss } from './support/process-monitor';
import { StatementStats } from './support/statement-stats';
import { xmlCryptoSoap } from './support/xml-crypto-soap';

const argValue = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const arg = (name: string, fallback: number): number => Number(argValue(name)) || fallback;
const SECONDS = arg('--seconds', 10);
const CONNECTIONS = arg('--connections', 32);
const DRAIN_MESSAGES = arg('--drain-messages', 2000);
const SOAK_MESSAGES = arg('--soak-messages', 3000);
/** Submits per second of the soak (0: closed loop, as fast as the gateway answers, the dispatcher draining behind). */
const SOAK_RATE = arg('--soak-rate', 0);
const CPU_PROF = process.argv.includes('--cpu-prof');
/** PostgreSQL's per-statement counters for each case (pg_stat_statements; needs a server this bench starts). */
const PG_STATEMENTS = process.argv.includes('--pg-statements');
let statementStats: StatementStats | undefined;
/** How many messages a monitored case handled, where its rate is not over its whole window (the drains). */
const messagesOfCase = new Map<string, number>();
/** The bench partners' maxConcurrency (the contracts say 8): what one partner's drain is bound by. */
const PARTNER_CONCURRENCY = argValue('--partner-concurrency') === undefined ? undefined : arg('--partner-concurrency', 8);
/** The fixed rates of the exchange cases (the targets are at 200 and 500; a low rate shows the latency floor). */
const EXCHANGE_RATES = (argValue('--exchange-rates') ?? '25,200,500').split(',').map(Number).filter((n) => n > 0);
const ONLY = new Set((argValue('--only') ?? 'raw,peer,submit,drain,isolation,idle,exchange,soak,inbound').split(','));
const WARMUP_SECONDS = 2;
/** Open-loop cases: seconds at the rate before the measured ones, in the same attack. */
const PACED_WARMUP_SECONDS = 5;
const PROFILE_DIR = path.join(repoRoot, 'bench/results/profiles');

// Private ports, so the bench never shares a broker or a server with a test run or `npm start`.
process.env.TEST_KAFKA_PORT ??= '39392';
process.env.TEST_PG_PORT ??= '55455';

let interrupted = false;
const cases: BenchCase[] = [];
const record = (c: BenchCase): BenchCase => {
  cases.push(c);
  return c;
};

// ---------------------------------------------------------------------------------------------------------------
// Payloads: the same JSON for every case — { messageId, service, payload: { voen, filler } } of a given size.

const RUN = Date.now().toString(36);
let counter = 0;
/** A valid VÖEN (9 digits then 1 or 2), a new one per request (not starting 000: the simulator's not-found range). */
function nextVoen(): string {
  const n = counter % 800_000_000;
  return `${100_000_000 + n}${n % 2 ? '1' : '2'}`;
}

/** A body maker for `bytes`-sized messages to `services` (round robin); each body has a new message id and VÖEN. */
function messageBodies(bytes: number, services: string[] = ['tax-service/GetTaxpayer']): () => string {
  const make = (filler: string): string => {
    counter += 1;
    return JSON.stringify({
      messageId: `bench-${RUN}-${String(counter).padStart(10, '0')}`,
      service: services[counter % services.length],
      payload: { voen: nextVoen(), filler },
    });
  };
  const overhead = make('').length;
  const filler = 'x'.repeat(Math.max(0, bytes - overhead));
  return () => make(filler);
}

const SIZES = [
  { label: '', bytes: 1024 },
  { label: '-10kb', bytes: 10 * 1024 },
  { label: '-100kb', bytes: 100 * 1024 },
];

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

/** What this bench started and stops at the end (the normal end, an error and Ctrl-C all come to `cleanup`). */
const owned: {
  kafka: boolean;
  postgres: boolean;
  stack?: Stack;
  raw?: AppProcess;
  peer?: ChildProcess;
  kafka$?: Kafka;
  topics: string[];
  prefixes: string[];
  contractsDir?: string;
} = { kafka: false, postgres: false, topics: [], prefixes: [] };
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    const step = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
      try {
        await fn();
      } catch (error) {
        console.error(`cleanup: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    if (owned.peer) await step('stop the Camel peer', () => stopJava(owned.peer!));
    if (owned.stack) await step('stop the stack', () => owned.stack!.stop());
    await step('stop the apps', () => stopAllApps()); // the raw pipeline, a stack interrupted while starting
    if (owned.kafka$) {
      // The topics of this run go, from a broker this bench started too: kept, they piled up in its data directory
      // run after run (1,215 partition folders after ten runs; two starts in a row then missed kafka.sh's 120 s readiness
      // deadline, a start with the folder emptied took seconds).
      await step('delete the topics of this run', async () => {
        const admin = owned.kafka$!.admin();
        await admin.connect();
        try {
          const topics = (await admin.listTopics()).filter((t) => owned.topics.includes(t) || owned.prefixes.some((p) => t.startsWith(`${p}.`)));
          if (topics.length) await admin.deleteTopics({ topics, timeout: 10000 });
        } finally {
          await admin.disconnect();
        }
      });
    }
    if (owned.contractsDir) rmSync(owned.contractsDir, { recursive: true, force: true });
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
  console.error(`\n${signal}: stopping the apps and the infrastructure this bench started…`);
  void cleanup().finally(() => process.exit(130));
}

// ---------------------------------------------------------------------------------------------------------------
// Profiles: every Node app started from here on runs with --cpu-prof; pid → app name in apps.json.

const profiled: Record<string, string> = {};
function noteProfiled(name: string, pid: number | undefined): void {
  if (!CPU_PROF || !pid) return;
  profiled[String(pid)] = name;
  writeFileSync(path.join(PROFILE_DIR, 'apps.json'), `${JSON.stringify(profiled, null, 2)}\n`);
}
if (CPU_PROF) {
  mkdirSync(PROFILE_DIR, { recursive: true });
  // Nest re-raises SIGTERM after closing, which would end the process before V8 writes the profile: exit instead.
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --cpu-prof --cpu-prof-dir=${PROFILE_DIR} -r ${path.join(__dirname, 'support/exit-on-sigterm.js')}`.trim();
}

// ---------------------------------------------------------------------------------------------------------------
// Baselines: the raw pipeline (Node) and the Camel peer (JVM), on a topic of the apps' partition count.

async function benchTopic(kafka: Kafka, name: string): Promise<string> {
  const topic = `bench-${name}-${process.pid}-${RUN}`;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 6, replicationFactor: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  owned.topics.push(topic);
  return topic;
}

/** Closed-loop load on a plain-HTTP POST /v1/messages: warm-up, then SECONDS measured. */
async function postLoad(url: string, bytes: number, warmupSeconds = WARMUP_SECONDS, extra: Partial<HttpLoad> = {}) {
  const base: HttpLoad = {
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: messageBodies(bytes),
    connections: CONNECTIONS,
    expectStatus: 202,
    ...extra,
  };
  await httpLoad({ ...base, seconds: warmupSeconds });
  return httpLoad({ ...base, seconds: SECONDS });
}

const BATCHING: Record<string, string> = {
  inflight: 'micro-batching: one produce request in flight, the sends meanwhile go out together',
  linger: '1 ms micro-batching',
  none: 'one send per request',
};

async function rawPipelineCases(kafka: Kafka, brokers: string, monitor: ProcessMonitor, current: Current): Promise<void> {
  const topic = await benchTopic(kafka, 'raw');
  const variants = [
    { name: 'raw-pipeline', client: 'platformatic', batching: 'inflight', sizes: SIZES },
    { name: 'raw-platformatic-batch-1ms', client: 'platformatic', batching: 'linger', sizes: [SIZES[0]] },
    { name: 'raw-platformatic-single', client: 'platformatic', batching: 'none', sizes: [SIZES[0]] },
    { name: 'raw-kafkajs-batch-1ms', client: 'kafkajs', batching: 'linger', sizes: [SIZES[0]] },
    { name: 'raw-kafkajs-single', client: 'kafkajs', batching: 'none', sizes: [SIZES[0]] },
  ];
  const credentials = kafkaCredentialsEnv('admin');
  for (const v of variants) {
    if (interrupted) return;
    const port = await freePort();
    owned.raw = await startApp(
      v.name,
      'bench/raw-pipeline/main.ts',
      {
        RAW_PORT: String(port),
        RAW_BROKERS: brokers,
        RAW_TOPIC: topic,
        RAW_CLIENT: v.client,
        RAW_BATCHING: v.batching,
        RAW_LINGER_MS: '1',
        RAW_SASL_USERNAME: credentials.KAFKA_SASL_USERNAME,
        RAW_SASL_PASSWORD_FILE: credentials.KAFKA_SASL_PASSWORD_FILE,
      },
      (out) => out.includes('raw-pipeline listening'),
    );
    noteProfiled(v.name, owned.raw.child.pid);
    current.raw = owned.raw;
    for (const size of v.sizes) {
      const name = `${v.name}${size.label}`;
      const r = await monitor.during(name, () => postLoad(`http://127.0.0.1:${port}/v1/messages`, size.bytes));
      const note = `${size.bytes} B, ${v.client}, ${BATCHING[v.batching]}`;
      record(loadCase(name, r, { note, baseline: v.name === 'raw-pipeline' ? undefined : 'raw-pipeline' }));
    }
    await owned.raw.stop();
    owned.raw = current.raw = undefined;
  }
}

function stopJava(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function peerCamelCase(kafka: Kafka, brokers: string, monitor: ProcessMonitor, current: Current): Promise<void> {
  const built = spawnSync('bash', [path.join(repoRoot, 'bench/peer-camel/build.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (built.status !== 0) throw new Error('bench/peer-camel/build.sh failed');
  const jar = built.stdout.trim().split('\n').pop()!;
  const topic = await benchTopic(kafka, 'peer');
  const port = await freePort();
  const admin = testKafkaSasl('admin');
  let output = '';
  const child = spawn('java', ['-Xms256m', '-Xmx512m', '-jar', jar], {
    env: { ...process.env, PEER_PORT: String(port), PEER_TOPIC: topic, PEER_BROKERS: brokers, PEER_SASL_USERNAME: admin.username, PEER_SASL_PASSWORD: admin.password },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  owned.peer = child;
  current.peer = child;
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}/v1/messages`;
  const body = messageBodies(1024);
  const deadline = Date.now() + 120000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`peer-camel exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`peer-camel not ready within 120 s:\n${output}`);
    const status = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body() })
      .then(async (r) => (await r.text(), r.status))
      .catch(() => 0);
    if (status === 202) break;
    if (status !== 0 && status !== 404) throw new Error(`peer-camel answered ${status}:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  // The JVM compiles its hot paths as it goes: a longer warm-up than the Node processes get.
  const r = await monitor.during('peer-camel', () => postLoad(url, 1024, 3 * WARMUP_SECONDS));
  record(loadCase('peer-camel', r, { baseline: 'raw-pipeline', note: '1024 B, Camel 4.17 + Spring Boot 3.5.7, camel-kafka (kafka-clients) defaults' }));
  await stopJava(child);
  owned.peer = current.peer = undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Körpü: contracts and schemas of the bench (payloads may carry a filler; 15 more partners on the simulator).

const EXTRA_PARTNERS = Array.from({ length: 15 }, (_, i) => `bench-partner-${i + 2}`);

function benchContracts(): { contractsDir: string; schemasDir: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'korpu-bench-'));
  owned.contractsDir = root;
  const contractsDir = path.join(root, 'contracts');
  const schemasDir = path.join(root, 'schemas');
  cpSync(path.join(repoRoot, 'contracts'), contractsDir, { recursive: true });
  cpSync(path.join(repoRoot, 'schemas'), schemasDir, { recursive: true });
  const requestSchema = path.join(schemasDir, 'taxpayer-lookup-request/v1.schema.json');
  const schema = JSON.parse(readFileSync(requestSchema, 'utf8'));
  schema.properties.filler = { type: 'string', description: 'bench: makes a request of a given size' };
  writeFileSync(requestSchema, JSON.stringify(schema, null, 2));
  const partnerFile = path.join(contractsDir, 'tax-service/partner.json');
  const partner = JSON.parse(readFileSync(partnerFile, 'utf8'));
  if (PARTNER_CONCURRENCY !== undefined) {
    partner.maxConcurrency = PARTNER_CONCURRENCY;
    writeFileSync(partnerFile, JSON.stringify(partner, null, 2));
  }
  for (const id of EXTRA_PARTNERS) {
    mkdirSync(path.join(contractsDir, id));
    cpSync(path.join(contractsDir, 'tax-service/openapi.yaml'), path.join(contractsDir, id, 'openapi.yaml'));
    writeFileSync(path.join(contractsDir, id, 'partner.json'), JSON.stringify({ ...partner, id, name: `Bench copy ${id} of the tax service` }, null, 2));
  }
  const clientsFile = path.join(contractsDir, 'clients.json');
  const clients = JSON.parse(readFileSync(clientsFile, 'utf8'));
  const pensions = clients.clients.find((c: { id: string }) => c.id === 'MLSP/pensions');
  pensions.services.push(...EXTRA_PARTNERS.map((id) => `${id}/GetTaxpayer`));
  writeFileSync(clientsFile, JSON.stringify(clients, null, 2));
  return { contractsDir, schemasDir };
}

async function benchStack(dirs: { contractsDir: string; schemasDir: string }, dispatchers: number): Promise<Stack> {
  const stack = await startStack({
    dispatchers,
    exchangeTimeoutMs: 30000,
    contractsDir: dirs.contractsDir,
    env: { SCHEMAS_DIR: dirs.schemasDir },
    simulatorEnv: { SCHEMAS_DIR: dirs.schemasDir },
    extraPartners: Object.fromEntries(EXTRA_PARTNERS.map((id) => [id, 'tax-service'])),
    // The population registry: the slow neighbour of the isolation case.
    simulators: ['tax-service', 'population-registry'],
  });
  owned.stack = stack;
  owned.prefixes.push(stack.env.KAFKA_TOPIC_PREFIX);
  noteProfiled('gateway', stack.gateway.child.pid);
  noteProfiled('simulators', stack.simulators.child.pid);
  stack.dispatchers.forEach((d, i) => noteProfiled(`dispatcher-${i + 1}`, d.child.pid));
  return stack;
}

const gatewayTls = (): NonNullable<HttpLoad['tls']> => ({
  cert: readFileSync(path.join(DEV_PKI_DIR, 'tls/pensions.chain.crt')),
  key: readFileSync(path.join(DEV_PKI_DIR, 'tls/pensions.key')),
  ca: readFileSync(path.join(DEV_PKI_DIR, 'ca/trust-bundle.crt')),
});

/** A subsystem's submits (HTTPS, TLS client certificate); the message ids of the 202s go into `accepted`. */
function submitLoad(stack: Stack, bytes: number, accepted: string[], services?: string[]): HttpLoad {
  return {
    url: `${stack.gatewayUrl}/v1/messages`,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-road-client': 'MLSP/pensions' },
    body: messageBodies(bytes, services),
    connections: CONNECTIONS,
    expectStatus: 202,
    tls: gatewayTls(),
    onResponse: (status, body) => {
      if (status === 202) accepted.push((JSON.parse(body) as { messageId: string }).messageId);
    },
  };
}

async function submitCases(stack: Stack, monitor: ProcessMonitor): Promise<void> {
  // The gateway answers 413 above MAX_BODY_BYTES (65536 in test/support/stack.ts): no 100 KB submit.
  for (const size of SIZES.slice(0, 2)) {
    if (interrupted) return;
    const name = `submit${size.label}`;
    const load = submitLoad(stack, size.bytes, []);
    await httpLoad({ ...load, seconds: WARMUP_SECONDS });
    const r = await monitor.during(name, () => httpLoad({ ...load, seconds: SECONDS }));
    record(loadCase(name, r, { baseline: `raw-pipeline${size.label}`, note: `${size.bytes} B, no dispatcher running` }));
  }
}

/**
 * Waits until every id is replied (or the deadline): how many were, and the span from first to last. `since` (when
 * the ids' submits began, nothing else replied after it) lets a long list be waited for by a count of the replies
 * since then instead of matching every id four times a second (which kept a PostgreSQL backend at half a core
 * through the 200,000-message soak); the ids are matched once at the end.
 */
async function repliedSpan(databaseUrl: string, ids: string[], timeoutMs: number, since?: Date): Promise<{ replied: number; spanSeconds: number }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    const query = async () =>
      (
        await client.query<{ n: string; span: number | null }>(
          `SELECT count(*) AS n, extract(epoch FROM max(updated_at) - min(updated_at)) AS span
             FROM messages WHERE status = 'replied' AND message_id = ANY($1)`,
          [ids],
        )
      ).rows[0];
    // Counted from the status events added since the last count (a range of message_events' key): messages has no
    // index on its status (status changes are heap-only updates), and a count over it would read the whole table.
    let cursor: string | undefined;
    let repliedSoFar = 0;
    const replied = async () => {
      cursor ??= (await client.query<{ id: string }>(`SELECT coalesce(max(id), 0) AS id FROM message_events WHERE at < $1`, [since])).rows[0].id;
      const { rows } = await client.query<{ n: string; last: string | null }>(
        `SELECT count(*) FILTER (WHERE status = 'replied') AS n, max(id) AS last FROM message_events WHERE id > $1`,
        [cursor],
      );
      repliedSoFar += Number(rows[0].n);
      cursor = rows[0].last ?? cursor;
      return repliedSoFar;
    };
    const cheap = since !== undefined && ids.length > 10_000;
    const pause = () => new Promise((resolve) => setTimeout(resolve, cheap ? 1000 : 250));
    // Replies of earlier cases' messages may count too: the ids decide at the end.
    while (cheap && !interrupted && (await replied()) < ids.length && Date.now() < deadline) await pause();
    let row = await query();
    while (!interrupted && Number(row.n) < ids.length && Date.now() < deadline) {
      await pause();
      row = await query();
    }
    return { replied: Number(row.n), spanSeconds: Number(row.span ?? NaN) };
  } finally {
    await client.end();
  }
}

/** Starts one dispatcher on what is queued and waits until every id in `ids` is replied: delivered/s, first to last. */
async function drainQueued(stack: Stack, name: string, ids: string[], monitor: ProcessMonitor, current: Current): Promise<{ replied: number; opsPerSec: number; spanSeconds: number }> {
  const r = await monitor.during(name, async () => {
    const dispatcher = await stack.addDispatcher();
    noteProfiled(`dispatcher-${stack.dispatchers.length}`, dispatcher.child.pid);
    current.dispatcher = dispatcher;
    return repliedSpan(stack.databaseUrl, ids, 300000);
  });
  // The window starts the dispatcher and ends after the last reply: its message count, not rate × window.
  messagesOfCase.set(name, r.replied);
  return { ...r, opsPerSec: r.replied > 1 ? (r.replied - 1) / r.spanSeconds : 0 };
}

/** Pre-fills DRAIN_MESSAGES over `topics` partner topics with no dispatcher running, then starts one: delivered/s. */
async function drainCase(stack: Stack, topics: number, monitor: ProcessMonitor, current: Current): Promise<void> {
  const services = ['tax-service', ...EXTRA_PARTNERS].slice(0, topics).map((p) => `${p}/GetTaxpayer`);
  const accepted: string[] = [];
  await httpLoad({ ...submitLoad(stack, 1024, accepted, services), amount: DRAIN_MESSAGES });
  const name = topics === 1 ? 'drain' : `drain-${topics}-topics`;
  const r = await drainQueued(stack, name, accepted, monitor, current);
  const c: BenchCase = {
    name,
    opsPerSec: r.opsPerSec,
    p50Ms: NaN,
    p99Ms: NaN,
    errors: accepted.length - r.replied,
    note: `${accepted.length} pre-filled 1 KB messages over ${topics} partner topic${topics > 1 ? 's' : ''}, one dispatcher; first to last 'replied'`,
  };
  console.log(`  ${name.padEnd(34)} ${r.opsPerSec.toFixed(0).padStart(7)}/s   ${r.replied}/${accepted.length} replied in ${r.spanSeconds.toFixed(1)} s`);
  record(c);
}

/** Requests to the population registry (SOAP), each of its own correlation. */
function registryBodies(): () => string {
  return () => {
    counter += 1;
    return JSON.stringify({
      messageId: `bench-${RUN}-${String(counter).padStart(10, '0')}`,
      service: 'population-registry/GetPerson',
      payload: '<GetPersonRequest xmlns="urn:korpu:population:person"><Fin>5ZXK1P7</Fin></GetPersonRequest>',
    });
  };
}

/** How many of `ids` are in `status` now. */
async function countInStatus(databaseUrl: string, ids: string[], status: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM messages WHERE status = $1 AND message_id = ANY($2)`, [status, ids]);
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}

const SLOW_LATENCY_MS = 2000;
const SLOW_MESSAGES = 200;
/** Solo and slow-neighbour drains alternate this many times (A B A B): a trend over the run (tables growing, the machine) falls on both. */
const ISOLATION_ROUNDS = 2;

type Drained = { ids: string[]; r: Awaited<ReturnType<typeof drainQueued>> };

/**
 * Isolation (issue #12): the tax service's drain alone, then the same drain while the population registry answers
 * every call in 2 s with SLOW_MESSAGES of its own queued (enough to keep all of its maxConcurrency slots busy for the
 * whole drain), alternating ISOLATION_ROUNDS times; the mean of the second over the mean of the first, measured in
 * this run; the target is ≥ 0.9.
 */
async function isolationCases(stack: Stack, monitor: ProcessMonitor, current: Current): Promise<void> {
  const registryUrl = stack.simulatorUrls['population-registry'];
  if (!registryUrl) throw new Error('the bench stack has no population-registry simulator');
  const taxDrain = async (name: string): Promise<Drained> => {
    const ids: string[] = [];
    await httpLoad({ ...submitLoad(stack, 1024, ids), amount: DRAIN_MESSAGES });
    return { ids, r: await drainQueued(stack, name, ids, monitor, current) };
  };
  const print = (name: string, d: Drained, extra = ''): void =>
    console.log(`  ${name.padEnd(34)} ${d.r.opsPerSec.toFixed(0).padStart(7)}/s   ${d.r.replied}/${d.ids.length} replied in ${d.r.spanSeconds.toFixed(1)} s${extra}`);
  const solos: Drained[] = [];
  const besides: { d: Drained; atRegistry: number; replied: number }[] = [];
  for (let round = 1; round <= ISOLATION_ROUNDS && !interrupted; round += 1) {
    const suffix = round === 1 ? '' : `-${round}`;
    if (stack.dispatchers.length) await stopDispatchers(stack);
    const solo = await taxDrain(`isolation-solo${suffix}`);
    solos.push(solo);
    print(`isolation-solo${suffix}`, solo);
    await stopDispatchers(stack);

    await simulator(registryUrl, '/_sim/faults', { mode: 'latency', latencyMs: SLOW_LATENCY_MS, count: 1_000_000 });
    try {
      const slowIds: string[] = [];
      await httpLoad({ ...submitLoad(stack, 1024, slowIds), body: registryBodies(), amount: SLOW_MESSAGES });
      const beside = await taxDrain(`isolation-slow-neighbour${suffix}`);
      const atRegistry = await countInStatus(stack.databaseUrl, slowIds, 'dispatched');
      const replied = await countInStatus(stack.databaseUrl, slowIds, 'replied');
      besides.push({ d: beside, atRegistry, replied });
      print(`isolation-slow-neighbour${suffix}`, beside, `; the registry had ${atRegistry} calls in flight, ${replied} replied`);
      await simulator(registryUrl, '/_sim/faults', { mode: 'none' });
      await repliedSpan(stack.databaseUrl, slowIds, 60000); // the registry's queue, answered at once now
    } finally {
      await simulator(registryUrl, '/_sim/faults', { mode: 'none' }).catch(() => undefined);
    }
  }
  if (!solos.length || !besides.length) return;
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  const mean = (xs: number[]): number => sum(xs) / xs.length;
  const rates = (ds: Drained[]): string => ds.map((d) => d.r.opsPerSec.toFixed(0)).join(', ');
  const soloRate = mean(solos.map((d) => d.r.opsPerSec));
  const besideRate = mean(besides.map((b) => b.d.r.opsPerSec));
  const ratio = soloRate > 0 ? besideRate / soloRate : 0;
  record({
    name: 'isolation-solo',
    opsPerSec: soloRate,
    p50Ms: NaN,
    p99Ms: NaN,
    errors: sum(solos.map((d) => d.ids.length - d.r.replied)),
    note: `${DRAIN_MESSAGES} tax-service messages, nothing else queued; mean of ${solos.length} drains (${rates(solos)}/s)`,
  });
  record({
    name: 'isolation-slow-neighbour',
    opsPerSec: besideRate,
    p50Ms: NaN,
    p99Ms: NaN,
    errors: sum(besides.map((b) => b.d.ids.length - b.d.r.replied)),
    baseline: 'isolation-solo',
    note:
      `${DRAIN_MESSAGES} tax-service messages while the population registry answers in ${SLOW_LATENCY_MS} ms (${SLOW_MESSAGES} queued); mean of ` +
      `${besides.length} drains (${rates(besides.map((b) => b.d))}/s), each alternating with a solo one; when a tax drain ended the registry had ` +
      `${besides.map((b) => b.atRegistry).join(', ')} calls in flight and ${besides.map((b) => b.replied).join(', ')} replied; target ≥ 0.9× solo: ${ratio >= 0.9 ? 'met' : 'NOT met'}`,
  });
  console.log(`  isolation: ${ratio.toFixed(2)}× solo (means of ${besides.length} and ${solos.length} drains)`);
}

async function stopDispatchers(stack: Stack): Promise<void> {
  const running = stack.dispatchers.splice(0);
  await Promise.all(running.map((d) => d.stop()));
}

/**
 * Where an exchange's time went, from the dispatcher's operational records of the case (X-Road's hop timestamps):
 * p50 / p99 of each span, so a slow figure points at a hop (the gateway's reply wait is what remains of the total).
 */
/** Each hop's p50/p99 over the exchanges since `since` (the operational records), printed and returned for the case's note. */
async function printHops(databaseUrl: string, since: Date, name: string): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, 2500)); // the recorder writes its batch within a second or two
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const spans: Array<[string, string, string]> = [
      ['accept', 'request_in_at', 'request_queued_at'],
      ['in Kafka', 'request_queued_at', 'request_picked_at'],
      ['dispatcher before the call', 'request_picked_at', 'request_out_at'],
      ['partner', 'request_out_at', 'response_in_at'],
      ['dispatcher after the call', 'response_in_at', 'response_out_at'],
    ];
    const { rows } = await client.query<Record<string, number | null>>(
      `SELECT count(*)::int AS n, ${spans
        .map(([, from, to], i) => {
          const ms = `extract(epoch FROM ${to} - ${from}) * 1000`;
          return `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${ms}) AS p50_${i}, percentile_cont(0.99) WITHIN GROUP (ORDER BY ${ms}) AS p99_${i}`;
        })
        .join(', ')}
         FROM operational_records WHERE direction = 'outbound' AND result = 'succeeded' AND request_in_at >= $1`,
      [since],
    );
    const row = rows[0];
    const part = (i: number): string => `${spans[i][0]} ${Number(row[`p50_${i}`] ?? NaN).toFixed(1)}/${Number(row[`p99_${i}`] ?? NaN).toFixed(1)}`;
    const hops = `hops, ms p50/p99 of ${row.n} exchanges: ${spans.map((_, i) => part(i)).join('; ')}`;
    console.log(`    ${name} ${hops}`);
    return hops;
  } finally {
    await client.end();
  }
}

/**
 * The stack with nothing to do (gateway, one dispatcher, simulators, broker, database): what every case pays on this
 * box before its first message — consumers polling, heartbeats, commit and metric timers.
 */
async function idleCase(monitor: ProcessMonitor): Promise<void> {
  await monitor.during('idle', () => new Promise((resolve) => setTimeout(resolve, SECONDS * 1000)));
}

async function exchangeCases(stack: Stack, monitor: ProcessMonitor): Promise<void> {
  const taxUrl = stack.simulatorUrls['tax-service'] ?? stack.taxServiceUrl;
  for (const rate of EXCHANGE_RATES) {
    if (interrupted) return;
    // Open loop at a constant rate (vegeta): requests arrive evenly, not in autocannon's bursts at the top of each second.
    // The warm-up runs in the same attack as the measured seconds (same connections); CPU and hops count from its end.
    const direct: PacedLoad = { url: `${taxUrl}/_sim/stats`, rate, seconds: SECONDS, expectStatus: 200, warmupSeconds: PACED_WARMUP_SECONDS };
    const d = await pacedLoad({ ...direct, window: monitor.window(`direct-${rate}`) });
    record(loadCase(`direct-http-${rate}rps`, d, { note: `GET /_sim/stats on the simulator at ${rate}/s (open loop, vegeta)` }));
    const { method, headers, body, tls } = submitLoad(stack, 1024, []);
    const exchange: PacedLoad = {
      url: `${stack.gatewayUrl}/v1/exchange`,
      method,
      headers,
      body,
      tls,
      expectStatus: 200,
      rate,
      seconds: SECONDS,
      warmupSeconds: PACED_WARMUP_SECONDS,
    };
    let since = new Date();
    const e = await pacedLoad({ ...exchange, window: monitor.window(`exchange-${rate}`, () => (since = new Date())) });
    const hops = await printHops(stack.databaseUrl, since, `exchange-${rate}rps`);
    // Issue #12's targets are at 200 and 500/s; a lighter rate shows the latency floor and the cost at a light load.
    const target = rate === 200 ? 25 : rate === 500 ? 50 : undefined;
    const verdict = target === undefined ? 'no target (a light load)' : `target p99 ≤ ${target} ms: ${e.p99Ms <= target ? 'met' : 'NOT met'}`;
    record(
      loadCase(`exchange-${rate}rps`, e, {
        baseline: `direct-http-${rate}rps`,
        note: `POST /v1/exchange at ${rate}/s (open loop, vegeta); ${verdict}${e.errors > 0 ? `; answers by status ${JSON.stringify(e.statuses)} (latency of the 200s)` : ''}; ${hops}`,
      }),
    );
  }
}

async function soakCase(stack: Stack, current: Current): Promise<void> {
  const accepted: string[] = [];
  const rss = sampleRss([
    { name: 'gateway', pid: () => stack.gateway.child.pid },
    { name: 'dispatcher', pid: () => current.dispatcher?.child.pid },
    { name: 'simulators', pid: () => stack.simulators.child.pid },
  ]);
  const began = new Date();
  // Paced (--soak-rate) below what the dispatcher drains, every process stays busy to the end of the soak; closed
  // loop, the gateway's part ends when the last submit is answered and it idles while the backlog drains.
  const r = await httpLoad({ ...submitLoad(stack, 1024, accepted), amount: SOAK_MESSAGES, ...(SOAK_RATE > 0 ? { overallRate: SOAK_RATE } : {}) });
  // The dispatcher drains slower than the gateway accepts: wait for the backlog (up to 10 ms a message, at least 5 min).
  const drained = await repliedSpan(stack.databaseUrl, accepted, Math.max(300000, SOAK_MESSAGES * 10), began);
  const soak = rss.stop();
  const verdict = soak.map(
    (s) =>
      `${s.name} ${s.firstMb.toFixed(0)}/${s.lastMb.toFixed(0)}/${s.maxMb.toFixed(0)} MB, quarters' highest ${s.quartersMb.map((q) => q.toFixed(0)).join('/')} MB (${s.growthPercent >= 0 ? '+' : ''}${s.growthPercent.toFixed(1)} %, ${s.flat ? 'flat' : 'NOT flat'})`,
  );
  record(
    loadCase('soak-submit', r, {
      errors: r.errors + (accepted.length - drained.replied),
      note: `${SOAK_MESSAGES} submits${SOAK_RATE > 0 ? ` at ${SOAK_RATE}/s` : ''}, ${drained.replied} replied; RSS first/last/max after 10 % warm-up, the highest of each quarter after it, flat when the last quarter's is within +10 % of the first's: ${verdict.join('; ')}`,
    }),
  );
  for (const line of verdict) console.log(`    RSS ${line}`);
}

/**
 * The portal's signed SOAP calls, signed in advance (a fresh xrd:id each: a repeated id is answered from the first
 * reply), closed loop on CONNECTIONS connections; then, in this process with the stack idle, xml-crypto signing and
 * verifying one of the same messages (sign + verify = one operation): the target is ≥ 0.5× of it.
 */
async function inboundSoapCase(dirs: { contractsDir: string; schemasDir: string }, monitor: ProcessMonitor): Promise<void> {
  const t = Date.now();
  const stack = await startStack({
    simulators: ['ministry-subsystem', 'egov-portal'],
    partnerEndpoint: true,
    dispatchers: 0,
    contractsDir: dirs.contractsDir,
    env: { SCHEMAS_DIR: dirs.schemasDir },
    simulatorEnv: { SCHEMAS_DIR: dirs.schemasDir },
  });
  owned.stack = stack;
  owned.prefixes.push(stack.env.KAFKA_TOPIC_PREFIX);
  noteProfiled('partner-endpoint', stack.partnerEndpoint?.child.pid);
  console.log(`  (stack with the partner endpoint ready in ${((Date.now() - t) / 1000).toFixed(1)} s)`);
  const pki = await ensureDevPki(DEV_PKI_DIR);
  const leaf = pki.leaves['egov-portal-rsa'];
  const portal = createSignatureServices({
    trust: { caFiles: [pki.trustBundle], crlFiles: [pki.crls.root, pki.crls.intermediate], fetchCrls: false },
    keys: [{ certFile: leaf.chain, keyFile: leaf.key }],
  });
  const catalogue = loadInboundCatalogue(path.join(dirs.contractsDir, 'ministry'));
  const operation = 'GetPensionEntitlement';
  const service = catalogue.get(operation);
  const payload = requestPayload(operation, '5ZJBKQ2');
  const unsigned = (): string =>
    buildXRoadMessage(
      {
        client: xroadClientFor(EGOV_PORTAL_CLIENT),
        service: { ...catalogue.xroadMember, subsystemCode: service.owner, serviceCode: operation },
        id: newMessageId(),
        userId: 'AZ0000001',
        protocolVersion: XROAD_PROTOCOL_VERSION,
      },
      payload,
    );
  const presigned = Array.from({ length: 12000 }, () => portal.soapSigner.sign(unsigned()));
  let next = 0;
  const load: HttpLoad = {
    url: `${stack.partnerEndpointUrl}/soap`,
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${service.soapAction}"` },
    // Past the pre-signed ones (a fast run), signed here: the load generator then does the portal's work too.
    body: () => presigned[next++] ?? portal.soapSigner.sign(unsigned()),
    connections: CONNECTIONS,
    expectStatus: 200,
  };
  await httpLoad({ ...load, seconds: WARMUP_SECONDS });
  const r = await monitor.during('inbound-soap', () => httpLoad({ ...load, seconds: SECONDS }));
  const bytes = Buffer.byteLength(presigned[0]);
  const extraSigned = Math.max(0, next - presigned.length);

  const other = xmlCryptoSoap(presigned[0], readFileSync(leaf.key), readFileSync(leaf.cert, 'utf8'), 'rsa');
  if (!other.verify(other.sign())) throw new Error('xml-crypto does not verify its own signature');
  const baseline = await measure('xml-crypto', () => other.verify(other.sign()), 3);
  record({
    name: 'inbound-soap-xml-crypto',
    opsPerSec: baseline.ops,
    p50Ms: baseline.p50,
    p99Ms: baseline.p99,
    errors: 0,
    note: `xml-crypto SignedXml sign + verify of the same ${bytes} B message (one thread, no trust store, no XSD)`,
  });
  record(
    loadCase('inbound-soap', r, {
      baseline: 'inbound-soap-xml-crypto',
      note:
        `signed SOAP ${bytes} B → partner endpoint → Kafka → subsystem → signed reply, ${CONNECTIONS} connections; target ≥ 0.5× xml-crypto` +
        (extraSigned ? `; ${extraSigned} requests signed during the load` : ''),
    }),
  );
  await stack.stop();
  owned.stack = undefined;
}

interface Current {
  raw?: AppProcess;
  peer?: ChildProcess;
  dispatcher?: AppProcess;
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
  const postgresInfra = await ensureTestPostgres({ durable: true, statementStats: PG_STATEMENTS });
  owned.postgres = postgresInfra.startedByUs;
  process.env.KAFKA_BROKERS = kafkaInfra.brokers;
  process.env.TEST_DATABASE_URL = postgresInfra.url;
  if (interrupted) return;
  console.log(
    `Kafka ${kafkaInfra.brokers} (${owned.kafka ? 'started' : 'already running'}), PostgreSQL 127.0.0.1:${testPostgresPort()} (${owned.postgres ? 'started' : 'already running'}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  // The apps' commits wait for their WAL flush, as in a deployment (a test server found running may not: said so).
  const durability = describeDurability(await postgresDurability(postgresInfra.url));
  console.log(durability);
  reportNotes(`Pipeline: ${durability}.`);
  if (PG_STATEMENTS) {
    const superuser = new URL(postgresInfra.url);
    [superuser.username, superuser.password] = ['postgres', 'postgres']; // deploy/local/postgres.sh's local superuser
    const opened = await StatementStats.open(superuser.toString(), decodeURIComponent(new URL(postgresInfra.url).username));
    if (opened instanceof StatementStats) statementStats = opened;
    else console.log(`--pg-statements: not available, ${opened.unavailable}`);
  }
  console.log(
    `\npipeline bench: autocannon, ${SECONDS} s per case after ${WARMUP_SECONDS} s warm-up, ${CONNECTIONS} connections, node ${process.version}, ${cpus().length} CPUs, ` +
      `load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}${CPU_PROF ? `, CPU profiles in ${PROFILE_DIR}` : ''}\n`,
  );

  const current: Current = {};
  const kafkaPid = (): number | undefined => pidFromFile(path.join(repoRoot, `.local/kafka-${testKafkaPort()}/kafka.pid`));
  // Where deploy/local/postgres.sh put the cluster: POSTGRES_DATA_DIR, else .local/, else (when the postgres user cannot
  // write there, e.g. a checkout owned by root) its fallback under the temporary directory.
  const postgresDirs = [
    ...(process.env.POSTGRES_DATA_DIR ? [process.env.POSTGRES_DATA_DIR] : []),
    path.join(repoRoot, `.local/postgres-${testPostgresPort()}`),
    path.join(process.env.TMPDIR ?? '/tmp', `korpu-postgres-${testPostgresPort()}`),
  ];
  const isRunning = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  };
  const postgresPid = (): number | undefined => {
    for (const dir of postgresDirs) {
      const pid = pidFromFile(path.join(dir, 'pgdata/postmaster.pid'));
      if (pid !== undefined && isRunning(pid)) return pid;
    }
    return undefined;
  };
  const monitor = new ProcessMonitor([
    { name: 'baseline (raw / peer)', pid: () => current.raw?.child.pid ?? current.peer?.pid },
    { name: 'gateway', pid: () => owned.stack?.gateway?.child.pid },
    { name: 'dispatcher', pid: () => current.dispatcher?.child.pid },
    { name: 'simulators', pid: () => owned.stack?.simulators.child.pid },
    { name: 'partner-endpoint', pid: () => owned.stack?.partnerEndpoint?.child.pid },
    { name: 'bench (load generator)', pid: () => process.pid },
    { name: 'kafka broker (JVM)', pid: kafkaPid },
    { name: 'postgresql (+ backends)', pid: postgresPid, withChildren: true },
  ], statementStats ? [statementStats] : []);

  owned.kafka$ = new Kafka({ clientId: 'pipeline-bench', brokers: [kafkaInfra.brokers], sasl: testKafkaSasl('admin'), logLevel: logLevel.WARN });
  if (ONLY.has('raw')) await rawPipelineCases(owned.kafka$, kafkaInfra.brokers, monitor, current);
  if (ONLY.has('peer') && !interrupted) await peerCamelCase(owned.kafka$, kafkaInfra.brokers, monitor, current);

  const dirs = benchContracts();
  if (ONLY.has('submit') && !interrupted) {
    // Submits with no dispatcher running: what the gateway alone takes.
    const t1 = Date.now();
    const stack = await benchStack(dirs, 0);
    console.log(`  (stack without dispatcher ready in ${((Date.now() - t1) / 1000).toFixed(1)} s)`);
    await submitCases(stack, monitor);
    await stack.stop();
    owned.stack = undefined;
  }
  if ((ONLY.has('drain') || ONLY.has('isolation') || ONLY.has('idle') || ONLY.has('exchange') || ONLY.has('soak')) && !interrupted) {
    const t2 = Date.now();
    const stack = await benchStack(dirs, 0);
    console.log(`  (stack for drain / exchange / soak ready in ${((Date.now() - t2) / 1000).toFixed(1)} s)`);
    if (ONLY.has('drain')) {
      for (const topics of [1, 4, 16]) {
        if (interrupted) return;
        if (stack.dispatchers.length) await stopDispatchers(stack);
        await drainCase(stack, topics, monitor, current);
      }
    }
    if (ONLY.has('isolation') && !interrupted) await isolationCases(stack, monitor, current);
    if (!stack.dispatchers.length) {
      current.dispatcher = await stack.addDispatcher();
      noteProfiled(`dispatcher-${stack.dispatchers.length}`, current.dispatcher.child.pid);
    }
    if (ONLY.has('idle') && !interrupted) await idleCase(monitor);
    if (ONLY.has('exchange') && !interrupted) await exchangeCases(stack, monitor);
    if (ONLY.has('soak') && !interrupted) await soakCase(stack, current);
    await stack.stop();
    owned.stack = undefined;
    current.dispatcher = undefined;
  }
  if (ONLY.has('inbound') && !interrupted) await inboundSoapCase(dirs, monitor);

  // Ratios of this run, for the printout (run-all.ts computes them again over every bench's cases).
  const byName = new Map(cases.map((c) => [c.name, c]));
  const f = (n: number, d = 0): string => (Number.isFinite(n) ? n.toFixed(d) : '-');
  console.log(`\n${'case'.padEnd(26)} |  ops/s  p50 ms  p99 ms  errors | ratio`);
  console.log('-'.repeat(90));
  for (const c of cases) {
    const base = c.baseline ? byName.get(c.baseline) : undefined;
    console.log(
      `${c.name.padEnd(26)} | ${f(c.opsPerSec).padStart(6)} ${f(c.p50Ms, 1).padStart(7)} ${f(c.p99Ms, 1).padStart(7)} ${String(c.errors).padStart(7)} | ` +
        (base ? `${f(c.opsPerSec / base.opsPerSec, 2)}x of ${base.name}` : ''),
    );
  }
  const submit = byName.get('submit');
  const peer = byName.get('peer-camel');
  if (submit && peer) console.log(`\nsubmit / peer-camel: ${f(submit.opsPerSec / peer.opsPerSec, 2)}x (target ≥ 1.0)`);
  monitor.print();
  reportCases(cases);
  // The monitor's labels are the case names, but for the fixed-rate cases ('exchange-200' is exchange-200rps).
  const rateOf = (label: string): number | undefined =>
    (byName.get(label) ?? byName.get(`${label}rps`) ?? byName.get(label.replace(/^direct-(\d+)$/, 'direct-http-$1rps')))?.opsPerSec;
  const cost = monitor.costMarkdown(rateOf);
  if (cost) console.log(`\nCPU ms per message (1 = a millisecond of one core)\n${cost}`);
  reportNotes(`## Pipeline: CPU per process and case\n\n${monitor.markdown()}${cost ? `\n\n## Pipeline: CPU per message\n\n${cost}` : ''}`);
  if (statementStats) {
    const statements = await statementStats.markdown(rateOf, (label) => messagesOfCase.get(label));
    if (statements) {
      console.log(`\nPostgreSQL statements per case (pg_stat_statements; time is the server's execution time)\n${statements}`);
      reportNotes(`## Pipeline: PostgreSQL statements per case (--pg-statements)\n\nExecution time in the server, per call and per message of the case; WAL the statement wrote.\n\n${statements}`);
    }
  }
  const loadAfter = loadavg();
  console.log(`\nload average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    const t = Date.now();
    await statementStats?.close();
    await cleanup();
    if (CPU_PROF) console.log(`CPU profiles: ${readdirSafe(PROFILE_DIR).filter((f) => f.endsWith('.cpuprofile')).length} in ${PROFILE_DIR}`);
    if (!interrupted) console.log(`cleaned up in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  });

function readdirSafe(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}
