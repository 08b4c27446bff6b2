import { randomBytes } from 'node:crypto';
import { DataKeysModule } from '@korpu/crypto-at-rest';
import { Test, TestingModule } from '@nestjs/testing';
import { EnvelopeHeader, newMessageId } from '@korpu/envelope';
import { MessageConsumerFactory, MessageProducer, MessagingModule, Subscription, TopicAdmin, TopicNames } from '@korpu/messaging';
import { Database, StoreModule } from '@korpu/store';
import { AppProcess, TestDatabase, createTestDatabase, kafkaCredentialsEnv, startApp, stopAllApps, testKafkaSasl } from '@korpu/testing';
import { OPERATORS_MIGRATIONS } from '@korpu/operators';
import { TRACKING_MIGRATIONS } from '@korpu/tracking';
import { aDeadLetterRecord } from '../test/dead-letter-fixtures';
import { CreateReplayJobCommand } from './create-replay-job/create-replay-job.command';
import { CreateReplayJobUseCase } from './create-replay-job/create-replay-job.usecase';
import { readDeadLetterRecord } from './dead-letter-record';
import { FailedMessageRepository } from './failed-message.repository';
import { FAILED_MESSAGES_MIGRATIONS, FailedMessagesModule } from './failed-messages.module';
import { ReplayJobProgress } from './replay-job';
import { ReplayJobRepository } from './replay-job.repository';

const MESSAGES = 300;
const SENTINEL = 'sentinel';
const prefix = `test-rj-${newMessageId().toLowerCase()}`;
const topics = new TopicNames(prefix);
const originalTopic = topics.outbound('tax-service');
const dataKey = randomBytes(32).toString('base64');
let testDb: TestDatabase;
let moduleRef: TestingModule;
let subscription: Subscription | undefined;

function env(name: 'TEST_DATABASE_URL' | 'KAFKA_BROKERS'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through the integration project (global set-up)`);
  return value;
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not in time`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const workerEnv = (instanceId: string): Record<string, string> => ({
  ...kafkaCredentialsEnv('admin'),
  KAFKA_BROKERS: env('KAFKA_BROKERS'),
  KAFKA_TOPIC_PREFIX: prefix,
  DATABASE_URL: testDb.url,
  DATA_KEYS: `t1=${dataKey}`,
  DATA_ACTIVE_KEY: 't1',
  INSTANCE_ID: instanceId,
  REPLAY_RATE_DEFAULT: '60',
  REPLAY_BATCH_SIZE: '10',
  REPLAY_LEASE_MS: '3000',
  REPLAY_POLL_MS: '200',
  FAILED_PURGE_INTERVAL_MS: '0',
});

const startWorker = (instanceId: string): Promise<AppProcess> =>
  startApp(instanceId, 'libs/failed-messages/test/replay-worker.process.ts', workerEnv(instanceId), (out) => out.includes(`replay worker ${instanceId} ready`));

beforeAll(async () => {
  testDb = await createTestDatabase(env('TEST_DATABASE_URL'));
  moduleRef = await Test.createTestingModule({
    imports: [
      StoreModule.forRoot({ databaseUrl: testDb.url, migrationDirs: [TRACKING_MIGRATIONS, FAILED_MESSAGES_MIGRATIONS, OPERATORS_MIGRATIONS] }),
      MessagingModule.forRoot({
        brokers: env('KAFKA_BROKERS').split(','),
        clientId: 'replay-job-int',
        sasl: testKafkaSasl('admin'),
        topicPrefix: prefix,
        defaultPartitions: 1,
        defaultReplicationFactor: 1,
        defaultMinInsyncReplicas: 1,
        producerRetryTimeMs: 30_000,
        sessionTimeoutMs: 6_000,
      }),
      DataKeysModule.forRoot({ keys: { t1: dataKey }, activeKeyId: 't1' }),
      FailedMessagesModule.forRoot({ operators: {}, consumer: false, http: false }),
    ],
  }).compile();
  await moduleRef.init();
  // One partition: everything published before the sentinel is read before it.
  await moduleRef.get(TopicAdmin).ensureTopics([{ topic: originalTopic, partitions: 1 }]);
});

afterAll(async () => {
  await subscription?.stop();
  await stopAllApps();
  await moduleRef?.close();
  await testDb?.drop();
});

describe('bulk-replay job (real Kafka and PostgreSQL, worker processes)', () => {
  it('survives the kill of its worker halfway: another worker takes the job over and every message is published exactly once', async () => {
    const repository = moduleRef.get(FailedMessageRepository);
    const jobs = moduleRef.get(ReplayJobRepository);
    const db = moduleRef.get(Database);
    const seeded: string[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const { envelope, record } = aDeadLetterRecord({ prefix, code: 'PARTNER_UNAVAILABLE', message: 'tax-service answered 503', failedAt: new Date(Date.now() - 60_000 + i) });
      await repository.store(readDeadLetterRecord(record));
      seeded.push(envelope.messageId);
    }
    const received: string[] = [];
    let sentinelSeen = false;
    subscription = await moduleRef.get(MessageConsumerFactory).subscribe({
      groupId: `watch-${newMessageId()}`,
      topics: [originalTopic],
      handler: async (message) => {
        const id = message.headers[EnvelopeHeader.MESSAGE_ID];
        if (id === SENTINEL) sentinelSeen = true;
        else if (id) received.push(id);
      },
    });

    const created = (await moduleRef
      .get(CreateReplayJobUseCase)
      .execute(CreateReplayJobCommand.create({ operator: 'aysel', body: { filter: { errorCode: 'PARTNER_UNAVAILABLE' }, reason: 'partner is back' } }))) as ReplayJobProgress;
    expect(created.job.total).toBe(MESSAGES);
    const jobId = created.job.id;
    const itemsIn = async (state: string) =>
      Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM replay_job_items WHERE job_id = $1 AND state = $2`, [jobId, state])).rows[0].n);

    const first = await startWorker('replay-worker-1');
    await eventually('a third published', async () => ((await itemsIn('sent')) >= MESSAGES / 3 ? true : undefined));
    // Kill it between two batches (frozen, with nothing claimed and unfinished), so the test knows what was sent.
    // A kill within a batch is the in-doubt case: those items are marked in doubt, never sent twice.
    for (;;) {
      first.child.kill('SIGSTOP');
      await new Promise((resolve) => setTimeout(resolve, 300)); // let its in-flight queries land
      if ((await itemsIn('sending')) === 0) break;
      first.child.kill('SIGCONT');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await first.kill();
    const sentAtKill = await itemsIn('sent');
    expect(sentAtKill).toBeGreaterThan(0);
    expect(sentAtKill).toBeLessThan(MESSAGES);

    const second = await startWorker('replay-worker-2');
    const done = await eventually('the job completed', async () => {
      const progress = await jobs.progress(jobId);
      return progress?.job.state === 'completed' ? progress : undefined;
    });
    expect(done).toMatchObject({ done: MESSAGES, failed: 0, skipped: 0, inDoubt: 0, remaining: 0 });
    expect(done.job.leaseOwner).toBe('replay-worker-2');
    expect(second.output()).toContain(`Took over replay job ${jobId} from replay-worker-1`);
    await second.stop();

    await moduleRef.get(MessageProducer).send(originalTopic, [{ key: SENTINEL, headers: { [EnvelopeHeader.MESSAGE_ID]: SENTINEL }, value: Buffer.from('{}') }]);
    await eventually('the sentinel', async () => (sentinelSeen ? true : undefined));
    expect(received).toHaveLength(MESSAGES);
    expect([...new Set(received)].sort()).toEqual([...seeded].sort());
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM failed_messages WHERE status = 'replayed' AND replay_count = 1 AND last_replay_id = $1`, [jobId]);
    expect(rows[0].n).toBe(MESSAGES);
  });
});
