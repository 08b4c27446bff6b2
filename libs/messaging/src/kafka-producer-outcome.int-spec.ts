import * as net from 'node:net';
import { Kafka } from 'kafkajs';
import { newMessageId } from '@korpu/envelope';
import { createKafkaClient } from './kafka-client';
import { KafkaConsumerAdapter } from './kafka-consumer.adapter';
import { KafkaProducerAdapter } from './kafka-producer.adapter';
import { KafkaTopicAdminAdapter } from './kafka-topic-admin.adapter';
import { IncomingMessage, Subscription } from './messaging.ports';
import { kafkaTestOptions } from '../test/kafka-test-options';
import { KafkaFaultProxy } from '../test/kafka-fault-proxy';

// The broker-kill fault scenario lost one accepted message in five to eight runs. The cause: kafkajs' idempotent
// producer rolls a partition's sequence number back when a produce request fails without an answer, although the
// broker may have written it, and the next send waiting for that broker takes the rolled-back number. The broker
// sees a duplicate of the written batch and answers success without writing the second one: acknowledged, lost.
// Here a proxy swallows one produce answer (written, unanswered) while other sends wait behind it.

const options = kafkaTestOptions('producer-outcome-int');
const brokerPort = Number(options.brokers[0].split(':')[1]);
let proxy: KafkaFaultProxy;
let kafka: Kafka;
let producer: KafkaProducerAdapter;
/** Gives up after one retry (KAFKA_PRODUCER_RETRY_MS 0): a request whose two answers are lost fails. */
let impatient: KafkaProducerAdapter;
let direct: Kafka;
const subscriptions: Subscription[] = [];

beforeAll(async () => {
  proxy = new KafkaFaultProxy(brokerPort);
  const proxyPort = await proxy.start();
  // Every connection of this client (bootstrap and the broker address from metadata) goes through the proxy.
  kafka = createKafkaClient(options, {
    socketFactory: ({ onConnect }) => net.connect({ host: '127.0.0.1', port: proxyPort }, onConnect),
  });
  producer = new KafkaProducerAdapter(kafka, options);
  impatient = new KafkaProducerAdapter(kafka, { ...options, producerRetryTimeMs: 0 });
  direct = createKafkaClient(options);
});

afterAll(async () => {
  await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
  await producer.onApplicationShutdown();
  await impatient.onApplicationShutdown();
  await proxy.stop();
});

const record = (text: string) => ({ key: 'one-key', headers: { 'korpu-message-id': text }, value: Buffer.from(text) });

async function readAll(topic: string, expected: number): Promise<string[]> {
  const consumers = new KafkaConsumerAdapter(direct, options);
  const seen: string[] = [];
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  subscriptions.push(
    await consumers.subscribe({
      groupId: `g-${topic}`,
      topics: [topic],
      handler: async (message: IncomingMessage) => {
        seen.push(message.value.toString());
        if (seen.length === expected) resolve();
      },
    }),
  );
  await done;
  return seen;
}

describe('Kafka producer when an answer is lost (real broker behind a proxy)', () => {
  it('keeps every acknowledged message when a produce answer is lost while other sends wait', async () => {
    const topic = `test.outcome.${newMessageId().toLowerCase()}`;
    await new KafkaTopicAdminAdapter(direct, options).ensureTopics([{ topic, partitions: 1 }]);
    await producer.send(topic, [record('warm-up')]);

    proxy.dropNextProduceAnswers(1);
    const sent = ['first', ...Array.from({ length: 10 }, (_, i) => `waiting-${i}`)];
    // All acknowledged: the caller of each was told Kafka holds it.
    await Promise.all(sent.map((text) => producer.send(topic, [record(text)])));
    expect(proxy.dropped).toBe(1);

    const offsets = await direct.admin().fetchTopicOffsets(topic);
    const expected = ['warm-up', ...sent];
    // Nothing lost (every acknowledged record is in the log), nothing written twice.
    expect(Number(offsets[0].high)).toBe(expected.length);
    const seen = await readAll(topic, expected.length);
    expect([...seen].sort()).toEqual([...expected].sort());
    // One key, one partition: the order of the sends is the order in the log.
    expect(seen).toEqual(expected);
  });

  // The broker-kill fault runs still lost one accepted message in about twenty after the rule above, with many
  // BROKER_UNAVAILABLE answers around it. A request that *fails* (its retries used up, or an error kafkajs does not
  // retry) has its sequence number rolled back too, and once it has failed nothing retries it: the partition's next
  // request takes the number. Same count of records: acknowledged as the duplicate of the failed one, not written.
  // Another count: refused as out of order (a BROKER_UNAVAILABLE for a healthy broker).
  it('keeps the next acknowledged message after a request failed with its outcome unknown', async () => {
    const topic = `test.outcome.${newMessageId().toLowerCase()}`;
    await new KafkaTopicAdminAdapter(direct, options).ensureTopics([{ topic, partitions: 1 }]);
    await impatient.send(topic, [record('warm-up')]);

    proxy.dropNextProduceAnswers(2);
    // Written by the broker, the answers to it and to its one retry lost: the caller is told it failed (and would
    // send it again).
    await expect(impatient.send(topic, [record('failed')])).rejects.toThrow();
    expect(impatient.stats.retired).toBe(1);
    // Acknowledged: each must be in the log.
    await impatient.send(topic, [record('next')]);
    await impatient.send(topic, [record('pair-a'), record('pair-b')]);

    const expected = ['warm-up', 'failed', 'next', 'pair-a', 'pair-b'];
    const offsets = await direct.admin().fetchTopicOffsets(topic);
    expect(Number(offsets[0].high)).toBe(expected.length);
    expect(await readAll(topic, expected.length)).toEqual(expected);
  });
});
