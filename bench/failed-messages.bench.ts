/**
 * Failed messages at the scale of an outage, on a Kafka broker and a PostgreSQL server of its own:
 *
 *   seed          100,000 failed messages of one failure group (tax-service, PARTNER_UNAVAILABLE, over 6 hours) plus
 *                 2,000 of another partner, stored as the dead-letter consumer stores them (payloads encrypted)
 *   list          query times of the admin list (median of 5 runs, ms) for each filter, keyset pages deep into the
 *                 list, the failure groups and a bulk-replay preview
 *   job           one bulk-replay job of the whole group (created from its fingerprint), run by the worker in this
 *                 process (batch 500, rate limit out of the way), to completion: messages per second, and the
 *                 job-creation time
 *   raw produce   kafkajs, same broker, same run: the same number of records of the same size and headers, in
 *                 batches of the same size, idempotent producer, acks=-1 — the ceiling the job is measured against
 *
 *   node -r @swc-node/register bench/failed-messages.bench.ts [--messages 100000] [--batch 500]
 *
 * Kafka listens on TEST_KAFKA_PORT (default here 39392), PostgreSQL on TEST_PG_PORT (default here 55455); whatever
 * this bench started it stops at the end, also on error or Ctrl-C.
 */
import { cpus, loadavg } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Test, TestingModule } from '@nestjs/testing';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { EnvelopeCodec, newMessageId } from '@korpu/envelope';
import { EnvReader } from '@korpu/config';
import { DataKeysModule } from '@korpu/crypto-at-rest';
import {
  CreateReplayJobCommand,
  CreateReplayJobUseCase,
  FAILED_MESSAGES_MIGRATIONS,
  FailedMessageRepository,
  FailedMessagesModule,
  ListFailedMessagesCommand,
  ListFailedMessagesUseCase,
  ListFailureGroupsCommand,
  ListFailureGroupsUseCase,
  ReplayJobProgress,
  ReplayJobRepository,
  readDeadLetterRecord,
  readReplayJobOptions,
} from '@korpu/failed-messages';
import { MessagingModule, TopicAdmin, TopicNames } from '@korpu/messaging';
import { Database, StoreModule } from '@korpu/store';
import {
  createTestDatabase,
  ensureTestKafka,
  describeDurability,
  ensureTestPostgres,
  postgresDurability,
  stopTestKafka,
  stopTestPostgres,
  testKafkaSasl,
  TestDatabase,
} from '@korpu/testing';
import { TRACKING_MIGRATIONS } from '@korpu/tracking';
import { aDeadLetterRecord } from '../libs/failed-messages/test/dead-letter-fixtures';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) || fallback : fallback;
};
const MESSAGES = arg('--messages', 100_000);
const OTHERS = 2_000;
const BATCH = arg('--batch', 500);
const SEED_CONCURRENCY = 16;
const SPAN_MS = 6 * 3600_000;

process.env.TEST_KAFKA_PORT ??= '39392';
process.env.TEST_PG_PORT ??= '55455';

const owned: { kafka: boolean; postgres: boolean; db?: TestDatabase; app?: TestingModule } = { kafka: false, postgres: false };

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (n: number): string => `${n.toFixed(1)} ms`;

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = process.hrtime.bigint();
  const value = await fn();
  return { value, ms: Number(process.hrtime.bigint() - t) / 1e6 };
}

async function medianOf(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await timed(fn)).ms);
  return median(times);
}

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

async function main(): Promise<void> {
  console.log(`failed-messages bench: ${MESSAGES} messages in one group (+${OTHERS} others), batch ${BATCH}; ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')} (shared machine)`);
  const kafka = await ensureTestKafka();
  owned.kafka = kafka.startedByUs;
  const postgres = await ensureTestPostgres({ durable: true });
  owned.postgres = postgres.startedByUs;
  console.log(describeDurability(await postgresDurability(postgres.url)));
  owned.db = await createTestDatabase(postgres.url);
  const prefix = `bench-fm-${newMessageId().toLowerCase()}`;
  const topics = new TopicNames(prefix);
  const dataKey = randomBytes(32).toString('base64');
  const jobs = readReplayJobOptions(
    new EnvReader({ REPLAY_BATCH_SIZE: String(BATCH), REPLAY_RATE_DEFAULT: '100000', REPLAY_POLL_MS: '100', FAILED_PURGE_INTERVAL_MS: '0' }),
    'bench-worker',
  );
  owned.app = await Test.createTestingModule({
    imports: [
      StoreModule.forRoot({ databaseUrl: owned.db.url, poolSize: 20, migrationDirs: [TRACKING_MIGRATIONS, FAILED_MESSAGES_MIGRATIONS] }),
      MessagingModule.forRoot({
        brokers: kafka.brokers.split(','),
        clientId: 'bench-failed-messages',
        sasl: testKafkaSasl('admin'),
        topicPrefix: prefix,
        defaultPartitions: 6,
        defaultReplicationFactor: 1,
        defaultMinInsyncReplicas: 1,
        producerRetryTimeMs: 30_000,
        sessionTimeoutMs: 10_000,
      }),
      DataKeysModule.forRoot({ keys: { b1: dataKey }, activeKeyId: 'b1' }),
      FailedMessagesModule.forRoot({ operators: {}, consumer: false, http: false, jobs }),
    ],
  }).compile();
  const app = owned.app;
  await app.get(TopicAdmin).ensureTopics([{ topic: topics.outbound('tax-service') }, { topic: topics.outbound('population-registry') }, { topic: `${prefix}.raw` }]);
  const repository = app.get(FailedMessageRepository);
  const db = app.get(Database);

  // --- seed ---------------------------------------------------------------------------------------------------
  const start = Date.now() - SPAN_MS - 60_000;
  const indexes = Array.from({ length: MESSAGES + OTHERS }, (_, i) => i);
  const sample: { messageId?: string; correlationId?: string; record?: ReturnType<typeof EnvelopeCodec.encode> } = {};
  const seed = await timed(() =>
    eachLimited(indexes, SEED_CONCURRENCY, async (i) => {
      const other = i >= MESSAGES;
      const { envelope, record } = aDeadLetterRecord({
        prefix,
        partner: other ? 'population-registry' : 'tax-service',
        code: other ? 'PARTNER_SERVER_ERROR' : 'PARTNER_UNAVAILABLE',
        message: other ? 'population-registry answered 500' : 'tax-service answered 503',
        failedAt: new Date(start + Math.floor((i / (MESSAGES + OTHERS)) * SPAN_MS)),
        payload: `{"voen":"${String(1_000_000_000 + i)}"}`,
        correlationId: `corr-${i}`,
      });
      await repository.store(readDeadLetterRecord(record));
      if (i === Math.floor(MESSAGES / 2)) Object.assign(sample, { messageId: envelope.messageId, correlationId: envelope.correlationId, record: EnvelopeCodec.encode(envelope) });
    }),
  );
  await db.query('ANALYZE failed_messages');
  console.log(`seeded ${MESSAGES + OTHERS} failed messages in ${(seed.ms / 1000).toFixed(1)} s (${Math.round(((MESSAGES + OTHERS) / seed.ms) * 1000)}/s through FailedMessageRepository.store, ${SEED_CONCURRENCY} at once); ANALYZE run`);

  // --- list query times ---------------------------------------------------------------------------------------
  const list = app.get(ListFailedMessagesUseCase);
  const page = (query: Record<string, string>) => list.execute(ListFailedMessagesCommand.create({ limit: '50', ...query }));
  const mid = new Date(start + SPAN_MS / 2);
  const filters: Array<[string, Record<string, string>]> = [
    ['no filter (newest 50)', {}],
    ['status=unresolved', { status: 'unresolved' }],
    ['partner=population-registry (2% of rows)', { partner: 'population-registry' }],
    ['partner=tax-service (98%)', { partner: 'tax-service' }],
    ['service=tax-service/GetTaxpayer', { service: 'tax-service/GetTaxpayer' }],
    ['messageType + schemaVersion', { messageType: 'taxpayer-lookup-request', schemaVersion: '1' }],
    ['errorCode=PARTNER_SERVER_ERROR', { errorCode: 'PARTNER_SERVER_ERROR' }],
    ['time range (10 minutes mid-outage)', { from: mid.toISOString(), to: new Date(mid.getTime() + 600_000).toISOString() }],
    ['messageId (exact)', { messageId: sample.messageId as string }],
    ['correlationId (exact)', { correlationId: sample.correlationId as string }],
    ['q (id prefix)', { q: (sample.messageId as string).slice(0, 20) }],
  ];
  console.log('\nlist query times (median of 5, page of 50, through ListFailedMessagesUseCase):');
  for (const [name, query] of filters) {
    const rows = (await page(query)).items.length;
    console.log(`  ${name.padEnd(44)} ${ms(await medianOf(5, () => page(query))).padStart(10)}  (${rows} rows)`);
  }
  const pageTimes: number[] = [];
  let cursor: string | undefined;
  const PAGES = 200;
  for (let p = 0; p < PAGES; p++) {
    const { value, ms: t } = await timed(() => page({ status: 'unresolved', ...(cursor ? { cursor } : {}) }));
    pageTimes.push(t);
    cursor = value.nextCursor;
    if (!cursor) break;
  }
  console.log(`  keyset pages 1..${pageTimes.length} (status=unresolved, 50 each, ${pageTimes.length * 50} rows deep): median ${ms(median(pageTimes))}, last ${ms(pageTimes[pageTimes.length - 1])}, max ${ms(Math.max(...pageTimes))}`);
  const groups = app.get(ListFailureGroupsUseCase);
  const groupsMs = await medianOf(3, () => groups.execute(ListFailureGroupsCommand.create({})));
  const fingerprint = (await groups.execute(ListFailureGroupsCommand.create({}))).groups[0].key;
  console.log(`  failure groups (by fingerprint, all rows)       ${ms(groupsMs).padStart(10)}`);
  const create = app.get(CreateReplayJobUseCase);
  const previewMs = await medianOf(3, () => create.execute(CreateReplayJobCommand.create({ operator: 'bench', body: { fingerprint, preview: true } })));
  console.log(`  bulk-replay preview of the group              ${ms(previewMs).padStart(10)}`);

  // --- raw kafkajs produce, same broker, same record shape and batch size ---------------------------------------
  const raw = new Kafka({ clientId: 'bench-raw', brokers: kafka.brokers.split(','), sasl: testKafkaSasl('admin'), logLevel: logLevel.NOTHING });
  const producer = raw.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const record = sample.record as ReturnType<typeof EnvelopeCodec.encode>;
  const rawRun = await timed(async () => {
    for (let sent = 0; sent < MESSAGES; sent += BATCH) {
      const n = Math.min(BATCH, MESSAGES - sent);
      await producer.send({
        topic: `${prefix}.raw`,
        acks: -1,
        compression: CompressionTypes.None,
        messages: Array.from({ length: n }, (_, i) => ({ key: `corr-${sent + i}`, headers: record.headers, value: record.value })),
      });
    }
  });
  await producer.disconnect();
  const rawRate = (MESSAGES / rawRun.ms) * 1000;

  // --- the job ----------------------------------------------------------------------------------------------------
  await app.init(); // starts the worker
  const created = await timed(() => create.execute(CreateReplayJobCommand.create({ operator: 'bench', body: { fingerprint, reason: 'bench' } })));
  const job = created.value as ReplayJobProgress;
  const progressMs: number[] = [];
  const t0 = Date.now();
  let last: ReplayJobProgress | undefined;
  for (;;) {
    const { value, ms: t } = await timed(() => app.get(ReplayJobRepository).progress(job.job.id));
    progressMs.push(t);
    last = value;
    if (!value || value.job.state !== 'running') break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const finishedAt = last?.job.finishedAt ? Date.parse(last.job.finishedAt) : Date.now();
  const jobSeconds = (finishedAt - t0) / 1000;
  const jobRate = (last?.done ?? 0) / jobSeconds;

  console.log(`\nbulk-replay job of the group (${job.job.total} messages):`);
  console.log(`  created (items inserted) in ${ms(created.ms)}; progress query median ${ms(median(progressMs))} over ${progressMs.length} polls`);
  console.log(`  state ${last?.job.state}: done ${last?.done}, failed ${last?.failed}, skipped ${last?.skipped}, in doubt ${last?.inDoubt}, remaining ${last?.remaining}`);
  console.log(`\n  replay job           ${jobRate.toFixed(0).padStart(7)} messages/s  (${jobSeconds.toFixed(1)} s, worker in this process, batch ${BATCH})`);
  console.log(`  raw kafkajs produce  ${rawRate.toFixed(0).padStart(7)} messages/s  (${(rawRun.ms / 1000).toFixed(1)} s, batches of ${BATCH}, acks=-1, idempotent)`);
  console.log(`  job / raw            ${((jobRate / rawRate) * 100).toFixed(1)} %`);
  console.log(`\nload average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (the machine is shared with other sessions: figures vary run to run)`);
}

async function cleanup(): Promise<void> {
  await owned.app?.close().catch((e: unknown) => console.error('closing the app:', e));
  await owned.db?.drop().catch((e: unknown) => console.error('dropping the database:', e));
  if (owned.postgres) await stopTestPostgres().catch((e: unknown) => console.error(e));
  if (owned.kafka) await stopTestKafka().catch((e: unknown) => console.error(e));
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanup();
  });
