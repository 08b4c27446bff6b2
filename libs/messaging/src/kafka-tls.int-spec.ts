import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { EnvReader } from '@korpu/config';
import { newMessageId } from '@korpu/envelope';
import { kafkaCredentialsEnv, KafkaPrincipal, kafkaRefusal, provisionTestKafkaTls, repoRoot, startTestKafkaTls, stopTestKafkaTls } from '@korpu/testing';
import { DevPkiManifest, ensureDevPki } from '../../../certs-dev/dev-pki';
import { createKafkaClient, tlsOptions } from './kafka-client';
import { KafkaProducerAdapter } from './kafka-producer.adapter';
import { KafkaTopicAdminAdapter } from './kafka-topic-admin.adapter';
import { readKafkaOptions } from './kafka.config';
import { KafkaOptions } from './kafka.options';
import { TopicNames } from './topics';

/**
 * SASL_SSL to a real broker: kafka.sh with KAFKA_TLS=1 (the dev PKI's kafka-broker certificate, SAN 127.0.0.1) on a
 * port of its own (the shared test broker stays SASL_PLAINTEXT on loopback), started here and stopped afterwards.
 * Every client is configured the way the apps are, through readKafkaOptions and its KAFKA_SSL_* variables.
 */
const topics = new TopicNames(`tls-${newMessageId().toLowerCase()}`);
const topic = topics.outbound('tax-service');
let pki: DevPkiManifest;
let brokers: string;
const producers: KafkaProducerAdapter[] = [];

/** Options read from the environment as an app does (defaults: the dev PKI's trust bundle, TLS on). */
function optionsFor(principal: KafkaPrincipal, env: Record<string, string> = {}): KafkaOptions {
  const read = new EnvReader({
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_PREFIX: topics.prefix,
    KAFKA_SSL: 'true',
    KAFKA_SSL_CA_FILE: pki.trustBundle,
    KAFKA_PRODUCER_RETRY_MS: '5000',
    ...kafkaCredentialsEnv(principal),
    ...env,
  });
  const options = readKafkaOptions(read, `tls-${principal}`);
  read.done();
  return { ...options, defaultPartitions: 1 };
}

/** A kafkajs client with the same TLS and SASL options but no retries, to see the first answer. */
function bareClient(options: KafkaOptions): Kafka {
  return new Kafka({
    clientId: 'tls-probe',
    brokers: options.brokers,
    ...(options.ssl ? { ssl: tlsOptions(options.ssl) } : {}),
    ...(options.sasl ? { sasl: { ...options.sasl, mechanism: 'scram-sha-512' as const } } : {}),
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 3000,
    authenticationTimeout: 3000,
    requestTimeout: 5000,
  });
}

/** Tries to write one record with a bare client; the error text. */
async function refusedProduce(options: KafkaOptions): Promise<string> {
  const producer = bareClient(options).producer();
  const text = await kafkaRefusal(producer.connect().then(() => producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'must not arrive' }] })));
  await producer.disconnect().catch(() => undefined);
  return text;
}

/** Records in the topic; asked again while a broker just restarted (with other TLS settings) has no leader yet. */
async function highWaterMark(env: Record<string, string> = {}): Promise<number> {
  const admin = createKafkaClient(optionsFor('admin', env)).admin();
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await admin.fetchTopicOffsets(topic)).reduce((sum, partition) => sum + Number(partition.high), 0);
      } catch (error) {
        const retriable = (error as { retriable?: boolean }).retriable === true;
        if (!retriable || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/** Produces `count` records as the gateway (the app's producer: idempotent, acks=all) and reads them back as admin. */
async function roundTrip(env: Record<string, string> = {}): Promise<string[]> {
  const producer = new KafkaProducerAdapter(createKafkaClient(optionsFor('gateway', env)), optionsFor('gateway', env));
  producers.push(producer);
  const keys = [newMessageId(), newMessageId()];
  await producer.send(topic, keys.map((key) => ({ key, headers: {}, value: Buffer.from(`{"over":"SASL_SSL","key":"${key}"}`) })));
  const consumer = createKafkaClient(optionsFor('admin', env)).consumer({ groupId: `${topics.prefix}-reader-${newMessageId()}`, sessionTimeout: 6000 });
  const seen: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${seen.length} of ${keys.length} records`)), 30000);
      consumer
        .run({
          eachMessage: async ({ message }) => {
            const key = message.key?.toString() ?? '';
            if (keys.includes(key)) seen.push(key);
            if (keys.every((k) => seen.includes(k))) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

beforeAll(async () => {
  pki = await ensureDevPki(path.join(repoRoot, 'certs-dev/out'));
  ({ brokers } = await startTestKafkaTls('none'));
  // Provisioning (as the admin principal) over SASL_SSL, as kafka.sh does it for a TLS broker.
  await provisionTestKafkaTls(topics.prefix, 'none');
  const admin = optionsFor('admin');
  await new KafkaTopicAdminAdapter(createKafkaClient(admin), admin).ensureTopics([{ topic }]);
}, 180000);

afterAll(async () => {
  await Promise.all(producers.map((producer) => producer.onApplicationShutdown()));
  await stopTestKafkaTls();
}, 120000);

describe('Kafka over SASL_SSL (real broker with the dev PKI certificate)', () => {
  it('produces and consumes over SASL_SSL, the broker verified against the configured CA', async () => {
    const before = await highWaterMark();
    expect(await roundTrip()).toHaveLength(2);
    expect(await highWaterMark()).toBe(before + 2);
  });

  it('refuses a broker whose certificate another CA issued (certificate verify error), and nothing is written', async () => {
    const before = await highWaterMark();
    const text = await refusedProduce(optionsFor('gateway', { KAFKA_SSL_CA_FILE: pki.untrustedCa.cert }));
    expect(text).toMatch(/UNABLE_TO_GET_ISSUER_CERT_LOCALLY|unable to get local issuer certificate|SELF_SIGNED_CERT_IN_CHAIN/);
    expect(await highWaterMark()).toBe(before);
  });

  it('refuses a broker whose certificate does not name the expected server (KAFKA_SSL_SERVERNAME)', async () => {
    const text = await refusedProduce(optionsFor('gateway', { KAFKA_SSL_SERVERNAME: 'kafka.elsewhere.example' }));
    expect(text).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames/);
  });

  it('gets nothing through with a plaintext client on the TLS listener', async () => {
    const before = await highWaterMark();
    const plaintext = optionsFor('gateway', { KAFKA_SSL: 'false', KAFKA_SSL_CA_FILE: '' });
    expect(plaintext.ssl).toBeUndefined();
    expect(await refusedProduce(plaintext)).not.toBe('');
    expect(await highWaterMark()).toBe(before);
  });
});

describe('Kafka over SASL_SSL with client certificates required (mutual TLS)', () => {
  beforeAll(async () => {
    // kafka.sh restarts the broker when its TLS settings change.
    await startTestKafkaTls('required');
  }, 120000);

  const withCertificate = (party: 'gateway' | 'untrusted') => ({ KAFKA_SSL_CERT_FILE: pki.tlsClients[party].chain, KAFKA_SSL_KEY_FILE: pki.tlsClients[party].key });

  it('refuses a client without a certificate and one whose certificate another CA issued, and nothing is written', async () => {
    const before = await highWaterMark(withCertificate('gateway'));
    expect(await refusedProduce(optionsFor('gateway'))).not.toBe('');
    expect(await refusedProduce(optionsFor('gateway', withCertificate('untrusted')))).not.toBe('');
    expect(await highWaterMark(withCertificate('gateway'))).toBe(before);
  });

  it('produces and consumes with a client certificate of the dev PKI (KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE)', async () => {
    const before = await highWaterMark(withCertificate('gateway'));
    expect(await roundTrip(withCertificate('gateway'))).toHaveLength(2);
    expect(await highWaterMark(withCertificate('gateway'))).toBe(before + 2);
  });
});
