import { Admin, Kafka, Producer } from 'kafkajs';
import { newMessageId } from '@korpu/envelope';
import { createKafkaClient } from './kafka-client';
import { KafkaConsumerAdapter } from './kafka-consumer.adapter';
import { KafkaTopicAdminAdapter } from './kafka-topic-admin.adapter';
import { KafkaOptions } from './kafka.options';
import { IncomingMessage, Subscription } from './messaging.ports';
import { kafkaTestOptions } from '../test/kafka-test-options';

/**
 * Offsets are committed on a cadence (KAFKA_CONSUMER_COMMIT_INTERVAL_MS), not after every batch, and kafkajs as
 * patched (patches/kafkajs+2.2.4.patch) still commits what was handled at once when the member stops or its
 * partitions move: a member that comes next never gets again what another one handled and left in good order.
 */
const base = kafkaTestOptions('commit-cadence-int');
const LONG = 60_000; // an interval the test never reaches: only a stop or a rebalance commits
let kafka: Kafka;
let admin: Admin;
let topics: KafkaTopicAdminAdapter;
/** kafkajs' own producer: these tests choose the partition of each record. */
let producer: Producer;
const adapters: KafkaConsumerAdapter[] = [];
const subscriptions: Subscription[] = [];

function consumersWith(commitIntervalMs: number): KafkaConsumerAdapter {
  const options: KafkaOptions = { ...base, commitIntervalMs };
  const adapter = new KafkaConsumerAdapter(kafka, options);
  adapters.push(adapter);
  return adapter;
}

async function freshTopic(partitions: number): Promise<string> {
  const topic = `test.cadence.${newMessageId().toLowerCase()}`;
  await topics.ensureTopics([{ topic, partitions }]);
  return topic;
}

/** The group's committed offset per partition (-1: none). */
async function committed(groupId: string, topic: string): Promise<Record<number, number>> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return Object.fromEntries(offsets.partitions.map((p) => [p.partition, Number(p.offset)]));
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function send(topic: string, partition: number, value: string): Promise<void> {
  await producer.send({ topic, messages: [{ key: value, value, partition }] });
}

/** Sends `count` records one at a time, each after the previous was handled: every record is a batch of its own. */
async function oneByOne(topic: string, count: number, handled: IncomingMessage[], partition = 0): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const before = handled.length;
    await send(topic, partition, `m${i}`);
    await eventually(async () => handled.length > before);
  }
}

async function joined(topic: string, groupId: string, handled: IncomingMessage[], adapter: KafkaConsumerAdapter): Promise<Subscription> {
  const subscription = await adapter.subscribe({
    groupId,
    topics: [topic],
    handler: async (message) => {
      handled.push(message);
    },
  });
  subscriptions.push(subscription);
  return subscription;
}

beforeAll(async () => {
  kafka = createKafkaClient(base);
  admin = kafka.admin();
  await admin.connect();
  topics = new KafkaTopicAdminAdapter(kafka, base);
  producer = kafka.producer();
  await producer.connect();
});

afterEach(async () => {
  await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
});

afterAll(async () => {
  await Promise.all(adapters.map((a) => a.onApplicationShutdown()));
  await producer.disconnect();
  await admin.disconnect();
});

describe('Kafka consumer commit cadence (real broker)', () => {
  it('commits after every batch with an interval of 0 (kafkajs as it was)', async () => {
    const topic = await freshTopic(1);
    const groupId = `g-${topic}`;
    const handled: IncomingMessage[] = [];
    await joined(topic, groupId, handled, consumersWith(0));
    await oneByOne(topic, 3, handled);
    await eventually(async () => (await committed(groupId, topic))[0] === 3);
  });

  it('does not commit per batch within the interval, and commits everything handled when the member stops', async () => {
    const topic = await freshTopic(1);
    const groupId = `g-${topic}`;
    const handled: IncomingMessage[] = [];
    const subscription = await joined(topic, groupId, handled, consumersWith(LONG));
    await oneByOne(topic, 4, handled);
    // Four batches handled, none committed yet (the first fetch of a new group may commit its starting point only).
    expect((await committed(groupId, topic))[0]).toBeLessThan(1);
    await subscription.stop();
    expect((await committed(groupId, topic))[0]).toBe(4);

    // The next member starts after them: only a new record reaches it.
    const next: IncomingMessage[] = [];
    await joined(topic, groupId, next, consumersWith(LONG));
    await send(topic, 0, 'new');
    await eventually(async () => next.length > 0);
    await new Promise((r) => setTimeout(r, 500));
    expect(next.map((m) => m.value.toString())).toEqual(['new']);
  });

  it('commits what was handled before a rebalance gives a partition to another member: nothing is handled twice', async () => {
    const topic = await freshTopic(2);
    const groupId = `g-${topic}`;
    const first: IncomingMessage[] = [];
    await joined(topic, groupId, first, consumersWith(LONG));
    await oneByOne(topic, 3, first, 0);
    await oneByOne(topic, 3, first, 1);
    const second: IncomingMessage[] = [];
    await joined(topic, groupId, second, consumersWith(LONG));
    // After the rebalance each member owns one partition: the offsets handled before it are committed.
    await eventually(async () => {
      const offsets = await committed(groupId, topic);
      return offsets[0] === 3 && offsets[1] === 3;
    }, 30_000);
    // A record to each partition: each is handled once, by whichever member owns it now; none of the first six again.
    await send(topic, 0, 'after-0');
    await send(topic, 1, 'after-1');
    await eventually(async () => first.length + second.length >= 8);
    await new Promise((r) => setTimeout(r, 500));
    const values = [...first, ...second].map((m) => m.value.toString()).sort();
    expect(values).toEqual(['after-0', 'after-1', 'm0', 'm0', 'm1', 'm1', 'm2', 'm2']);
    expect(second.map((m) => m.value.toString()).every((v) => v.startsWith('after-'))).toBe(true);
  });
});
