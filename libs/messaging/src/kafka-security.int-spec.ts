import { Kafka, logLevel } from 'kafkajs';
import { newMessageId } from '@korpu/envelope';
import { KafkaPrincipal, kafkaRefusal, provisionTestKafka, testKafkaSasl } from '@korpu/testing';
import { createKafkaClient } from './kafka-client';
import { KafkaProducerAdapter } from './kafka-producer.adapter';
import { KafkaTopicAdminAdapter } from './kafka-topic-admin.adapter';
import { KafkaOptions, KafkaSasl } from './kafka.options';
import { TopicNames } from './topics';

/**
 * The broker is closed by default: SASL SCRAM-SHA-512 on its listener, StandardAuthorizer with no ACL meaning no
 * access. Each app principal gets only the ACLs of its role (kafka-access.ts), here on a prefix of this test's own.
 */
const brokers = (process.env.KAFKA_BROKERS ?? '').split(',');
const topics = new TopicNames(`sec-${newMessageId().toLowerCase()}`);
const outbound = topics.outbound('tax-service');
const inbound = topics.inbound('pensions');
const producers: KafkaProducerAdapter[] = [];

function options(clientId: string, sasl?: KafkaSasl): KafkaOptions {
  return { brokers, clientId, ...(sasl ? { sasl } : {}), topicPrefix: topics.prefix, defaultPartitions: 1, defaultReplicationFactor: 1, defaultMinInsyncReplicas: 1, producerRetryTimeMs: 5000, sessionTimeoutMs: 6000 };
}

/** The producer every app uses (idempotent, acks=all), as `principal`. */
function producerAs(principal: KafkaPrincipal): KafkaProducerAdapter {
  const producer = new KafkaProducerAdapter(createKafkaClient(options(`security-${principal}`, testKafkaSasl(principal))), options('x'));
  producers.push(producer);
  return producer;
}

const record = () => [{ key: newMessageId(), headers: { 'korpu-client': 'MLSP/pensions' }, value: Buffer.from('{"forged":true}') }];

/** A bare kafkajs client that gives up at once, to see the broker's first answer. */
function bareClient(sasl?: KafkaSasl): Kafka {
  return new Kafka({ clientId: 'security-probe', brokers, ...(sasl ? { sasl: { ...sasl, mechanism: 'scram-sha-512' as const } } : {}), logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 2000, authenticationTimeout: 3000, requestTimeout: 5000 });
}

async function highWaterMark(topic: string): Promise<number> {
  const admin = createKafkaClient(options('security-admin', testKafkaSasl('admin'))).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, partition) => sum + Number(partition.high), 0);
  } finally {
    await admin.disconnect();
  }
}

beforeAll(async () => {
  await provisionTestKafka(topics.prefix);
  const admin = new KafkaTopicAdminAdapter(createKafkaClient(options('security-admin', testKafkaSasl('admin'))), options('x'));
  await admin.ensureTopics([{ topic: outbound }, { topic: inbound }]);
});

afterAll(async () => {
  await Promise.all(producers.map((producer) => producer.onApplicationShutdown()));
});

describe('Kafka broker security (real broker)', () => {
  it('refuses a client that does not authenticate', async () => {
    const admin = bareClient().admin();
    const text = await kafkaRefusal(admin.connect().then(() => admin.listTopics()));
    await admin.disconnect().catch(() => undefined);
    expect(text).not.toBe('');
    expect(await highWaterMark(outbound)).toBe(0);
  });

  it('refuses a principal with a wrong password', async () => {
    const admin = bareClient({ ...testKafkaSasl('gateway'), password: 'not-the-password' }).admin();
    expect(await kafkaRefusal(admin.connect())).toMatch(/SASL|authenticat/i);
  });

  it("lets the gateway's principal write outbound topics but not the dead-letter or a retry topic", async () => {
    const gateway = producerAs('gateway');
    await gateway.send(outbound, record());
    expect(await kafkaRefusal(gateway.send(topics.deadLetter, record()))).toMatch(/TOPIC_AUTHORIZATION_FAILED/);
    expect(await kafkaRefusal(gateway.send(topics.retry(1), record()))).toMatch(/TOPIC_AUTHORIZATION_FAILED/);
    expect(await highWaterMark(topics.deadLetter)).toBe(0);
    expect(await highWaterMark(outbound)).toBe(1);
  });

  it("lets the partner endpoint's principal write inbound topics but not an outbound one", async () => {
    const partnerEndpoint = producerAs('partner-endpoint');
    await partnerEndpoint.send(inbound, record());
    const before = await highWaterMark(outbound);
    expect(await kafkaRefusal(partnerEndpoint.send(outbound, record()))).toMatch(/TOPIC_AUTHORIZATION_FAILED/);
    expect(await highWaterMark(outbound)).toBe(before);
  });

  it('never puts on a topic what a principal without ACLs produces', async () => {
    const before = await highWaterMark(outbound);
    expect(await kafkaRefusal(producerAs('outsider').send(outbound, record()))).toMatch(/AUTHORIZATION_FAILED/);
    expect(await highWaterMark(outbound)).toBe(before);
  });
});
