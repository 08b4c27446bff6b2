import { randomBytes } from 'node:crypto';
import { DataKeysModule } from '@korpu/crypto-at-rest';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { EnvelopeCodec, EnvelopeHeader, createEnvelope, newMessageId } from '@korpu/envelope';
import { ProblemDetailsFilter } from '@korpu/errors';
import { IncomingMessage, MessageConsumerFactory, MessageProducer, MessagingModule, Subscription, TopicAdmin, TopicNames } from '@korpu/messaging';
import { StoreModule } from '@korpu/store';
import { TestDatabase, createTestDatabase, testKafkaSasl } from '@korpu/testing';
import { OPERATORS_MIGRATIONS } from '@korpu/operators';
import { MessageStatus, MessageStatusRepository, TRACKING_MIGRATIONS } from '@korpu/tracking';
import { DEAD_LETTER_HEADER_PREFIX, DeadLetterHeader, deadLetterHeaders } from './dead-letter-headers';
import { FailedMessageRepository } from './failed-message.repository';
import { FAILED_MESSAGES_MIGRATIONS, FailedMessagesModule } from './failed-messages.module';

const prefix = `test-fm-${newMessageId().toLowerCase()}`;
const topics = new TopicNames(prefix);
const originalTopic = topics.outbound('tax-service');
const subscriptions: Subscription[] = [];
let testDb: TestDatabase;
let app: NestFastifyApplication;

function env(name: 'TEST_DATABASE_URL' | 'KAFKA_BROKERS'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through the integration project (global set-up)`);
  return value;
}

/** Collects what arrives on a topic under a fresh consumer group. */
async function watch(topic: string): Promise<{ next: (predicate: (m: IncomingMessage) => boolean, timeoutMs?: number) => Promise<IncomingMessage> }> {
  const seen: IncomingMessage[] = [];
  const waiters: Array<() => void> = [];
  subscriptions.push(
    await app.get(MessageConsumerFactory).subscribe({
      groupId: `watch-${newMessageId()}`,
      topics: [topic],
      handler: async (message) => {
        seen.push(message);
        waiters.splice(0).forEach((wake) => wake());
      },
    }),
  );
  return {
    next: async (predicate, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = seen.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`nothing matching arrived on ${topic}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 500);
        });
      }
    },
  };
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  testDb = await createTestDatabase(env('TEST_DATABASE_URL'));
  const moduleRef = await Test.createTestingModule({
    imports: [
      StoreModule.forRoot({ databaseUrl: testDb.url, migrationDirs: [TRACKING_MIGRATIONS, FAILED_MESSAGES_MIGRATIONS, OPERATORS_MIGRATIONS] }),
      MessagingModule.forRoot({
        brokers: env('KAFKA_BROKERS').split(','),
        clientId: 'failed-messages-int',
        sasl: testKafkaSasl('admin'),
        topicPrefix: prefix,
        defaultPartitions: 2,
        defaultReplicationFactor: 1,
        defaultMinInsyncReplicas: 1,
        producerRetryTimeMs: 30_000,
        sessionTimeoutMs: 6_000,
      }),
      DataKeysModule.forRoot({ keys: { t1: randomBytes(32).toString('base64') }, activeKeyId: 't1' }),
      FailedMessagesModule.forRoot({ operators: { 'int-token': 'int-operator' }, consumer: true }),
    ],
  }).compile();
  app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
  app.useGlobalFilters(new ProblemDetailsFilter());
  await app.get(TopicAdmin).ensureTopics([{ topic: originalTopic }, { topic: topics.deadLetter }]);
  await app.init(); // the dead-letter consumer joins its group here
  await app.getHttpAdapter().getInstance().ready();
});

afterAll(async () => {
  await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
  await app?.close();
  await testDb?.drop();
});

describe('failed messages (real Kafka and PostgreSQL)', () => {
  it('stores a dead-lettered record, replays it to its original topic unchanged, and stores its next failure without duplicated headers', async () => {
    const producer = app.get(MessageProducer);
    const repository = app.get(FailedMessageRepository);
    const statuses = app.get(MessageStatusRepository);
    const original = await watch(originalTopic);
    const deadLetters = await watch(topics.deadLetter);

    // The dispatcher's side: the request failed 5 times and is dead-lettered with the contract's headers.
    const envelope = createEnvelope({
      client: 'MLSP/pensions',
      service: { partner: 'tax-service', operation: 'GetTaxpayer' },
      messageType: 'taxpayer-lookup-request',
      schemaVersion: '1',
      contentType: 'application/json',
      payload: '{"voen":"1234567891"}',
      attempt: 5,
    });
    await statuses.record(envelope, MessageStatus.FAILED, { code: 'PARTNER_UNAVAILABLE', message: 'tax-service answered 503', attempt: 5 });
    const record = EnvelopeCodec.encode(envelope);
    const firstFailedAt = new Date(Date.now() - 60_000);
    await producer.send(topics.deadLetter, [
      {
        key: record.key,
        value: record.value,
        headers: deadLetterHeaders({
          original: { topic: originalTopic, partition: 1, offset: '17', headers: record.headers },
          failure: { code: 'PARTNER_UNAVAILABLE', message: 'tax-service answered 503' },
          attempts: 5,
          failedAt: firstFailedAt,
        }),
      },
    ]);

    const stored = await eventually(() => repository.find(envelope.messageId));
    expect(stored).toMatchObject({ status: 'unresolved', attempts: 5, originalTopic, originalOffset: '17', payload: envelope.payload });

    // The operator replays it through the admin API.
    const response = await app.inject({
      method: 'POST',
      url: `/v1/admin/failed-messages/${envelope.messageId}/replay`,
      headers: { authorization: 'Bearer int-token' },
      payload: { reason: 'partner is back' },
    });
    expect(response.statusCode).toBe(200);

    const replayed = await original.next((m) => m.headers[EnvelopeHeader.MESSAGE_ID] === envelope.messageId);
    expect(replayed.key).toBe(envelope.correlationId);
    expect(replayed.value.toString()).toBe(envelope.payload);
    expect(Object.keys(replayed.headers).filter((name) => name.startsWith(DEAD_LETTER_HEADER_PREFIX))).toEqual([]);
    const replayedEnvelope = EnvelopeCodec.decode(replayed);
    expect(replayedEnvelope).toMatchObject({ messageId: envelope.messageId, correlationId: envelope.correlationId, attempt: 1 });
    expect(replayedEnvelope.replayOf).toBeUndefined(); // not forced: the dispatcher's idempotency check applies
    expect((await statuses.find(envelope.messageId))?.status).toBe(MessageStatus.ACCEPTED);
    expect((await repository.find(envelope.messageId))?.status).toBe('replayed');

    // The dispatcher fails it again and dead-letters the record it read.
    const secondFailure = new Date();
    await producer.send(topics.deadLetter, [
      {
        key: replayed.key ?? '',
        value: replayed.value,
        headers: deadLetterHeaders({
          original: { topic: replayed.topic, partition: replayed.partition, offset: replayed.offset, headers: replayed.headers },
          failure: { code: 'PARTNER_UNAVAILABLE', message: 'tax-service answered 503' },
          attempts: 1,
          failedAt: secondFailure,
        }),
      },
    ]);
    const secondRecord = await deadLetters.next(
      (m) => m.headers[EnvelopeHeader.MESSAGE_ID] === envelope.messageId && m.headers[DeadLetterHeader.ATTEMPTS] === '1',
    );
    // One set of dead-letter headers, each with one value (kafkajs would join repeated headers with commas).
    expect(Object.keys(secondRecord.headers).filter((name) => name.startsWith(DEAD_LETTER_HEADER_PREFIX)).sort()).toEqual(
      Object.values(DeadLetterHeader).sort(),
    );
    expect(secondRecord.headers[DeadLetterHeader.ORIGINAL_TOPIC]).toBe(originalTopic);
    expect(secondRecord.headers[DeadLetterHeader.FAILED_AT]).toBe(secondFailure.toISOString());

    const again = await eventually(async () => {
      const row = await repository.find(envelope.messageId);
      return row && row.failureCount === 2 ? row : undefined;
    });
    expect(again).toMatchObject({
      status: 'unresolved',
      attempts: 1,
      replayCount: 1,
      firstFailedAt: firstFailedAt.toISOString(),
      lastFailedAt: secondFailure.toISOString(),
      originalOffset: replayed.offset,
    });
    expect(Object.keys(again.headers).filter((name) => name.startsWith(DEAD_LETTER_HEADER_PREFIX))).toEqual([]);
    expect((await repository.history(envelope.messageId)).map((event) => event.kind)).toEqual(['failed', 'replayed', 'failed']);

    const audit = await app.inject({
      method: 'GET',
      url: `/v1/admin/audit?messageId=${envelope.messageId}`,
      headers: { authorization: 'Bearer int-token' },
    });
    expect(audit.json()).toMatchObject({ items: [{ action: 'replay', operator: 'int-operator', reason: 'partner is back' }] });
  });
});
