import { ConfigResourceTypes } from 'kafkajs';
import { ConfigException, EnvReader } from '@korpu/config';
import { newMessageId } from '@korpu/envelope';
import { kafkaCredentialsEnv } from '@korpu/testing';
import { createKafkaClient } from './kafka-client';
import { provisionKafka } from './kafka-access.adapter';
import { KafkaTopicAdminAdapter } from './kafka-topic-admin.adapter';
import { readKafkaOptions } from './kafka.config';
import { TopicNames } from './topics';

/**
 * Every topic is created with the durability read from KAFKA_PROFILE / KAFKA_REPLICATION_FACTOR /
 * KAFKA_MIN_INSYNC_REPLICAS — by the apps (KafkaTopicAdminAdapter) and by provisioning (the CLI's provisionKafka) —
 * as a topic-level setting, not left to whatever the broker's default happens to be. The test broker is one node:
 * the local profile, replication factor 1, min.insync.replicas 1.
 */
const topics = new TopicNames(`dur-${newMessageId().toLowerCase()}`);
const env = { KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '', KAFKA_TOPIC_PREFIX: topics.prefix, KAFKA_TOPIC_PARTITIONS: '1', ...kafkaCredentialsEnv('admin') };

function optionsFrom(values: Record<string, string>) {
  const read = new EnvReader(values);
  const options = readKafkaOptions(read, 'durability-int');
  read.done();
  return options;
}

async function durabilityOf(topic: string): Promise<{ replicas: number[]; minInsync: { value: string; isDefault: boolean; source: number } }> {
  const admin = createKafkaClient(optionsFrom(env)).admin();
  await admin.connect();
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    const described = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['min.insync.replicas'] }],
      includeSynonyms: false,
    });
    const entry = described.resources[0].configEntries.find((config) => config.configName === 'min.insync.replicas');
    if (!entry) throw new Error(`${topic} describes no min.insync.replicas`);
    return {
      replicas: metadata.topics[0].partitions.map((partition) => partition.replicas.length),
      minInsync: { value: entry.configValue, isDefault: entry.isDefault, source: (entry as unknown as { configSource: number }).configSource },
    };
  } finally {
    await admin.disconnect();
  }
}

/** Kafka's DescribeConfigs source of a setting made on the topic itself (DYNAMIC_TOPIC_CONFIG). */
const TOPIC_CONFIG = 1;

describe('Kafka topic durability (real broker)', () => {
  it('provisions the fixed topics with the replication factor and min.insync.replicas of the configuration', async () => {
    const result = await provisionKafka(optionsFrom(env));
    expect(result.createdTopics).toContain(topics.deadLetter);
    expect(await durabilityOf(topics.deadLetter)).toEqual({ replicas: [1], minInsync: { value: '1', isDefault: false, source: TOPIC_CONFIG } });
  });

  it("creates an app's topics with min.insync.replicas set on the topic", async () => {
    const options = optionsFrom(env);
    const topic = topics.outbound('tax-service');
    await new KafkaTopicAdminAdapter(createKafkaClient(options), options).ensureTopics([{ topic }]);
    expect(await durabilityOf(topic)).toEqual({ replicas: [1], minInsync: { value: '1', isDefault: false, source: TOPIC_CONFIG } });
  });

  it('refuses the production profile on this one-broker configuration before any topic is made', () => {
    expect(() => optionsFrom({ ...env, KAFKA_PROFILE: 'production', KAFKA_REPLICATION_FACTOR: '1' })).toThrow(ConfigException);
  });
});
