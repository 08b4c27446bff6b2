import { EnvReader } from '@korpu/config';
import { KafkaOptions } from './kafka.options';

/**
 * Kafka settings every app reads the same way: KAFKA_BROKERS, KAFKA_TOPIC_PREFIX, KAFKA_TOPIC_PARTITIONS,
 * KAFKA_REPLICATION_FACTOR, KAFKA_SESSION_TIMEOUT_MS, KAFKA_PRODUCER_RETRY_MS.
 */
export function readKafkaOptions(read: EnvReader, clientId: string): KafkaOptions {
  return {
    brokers: read.list('KAFKA_BROKERS', ['127.0.0.1:9092']),
    clientId,
    topicPrefix: read.string('KAFKA_TOPIC_PREFIX', 'korpu'),
    defaultPartitions: read.int('KAFKA_TOPIC_PARTITIONS', 6, { min: 1, max: 1000 }),
    defaultReplicationFactor: read.int('KAFKA_REPLICATION_FACTOR', 1, { min: 1, max: 10 }),
    sessionTimeoutMs: read.int('KAFKA_SESSION_TIMEOUT_MS', 10000, { min: 6000, max: 300000 }),
    producerRetryTimeMs: read.int('KAFKA_PRODUCER_RETRY_MS', 30000, { min: 1000, max: 600000 }),
  };
}
