import { testKafkaSasl } from '@korpu/testing';
import { KafkaOptions } from '../src/kafka.options';

/** Options of an integration test's client: the admin principal, since these tests make their own topics. */
export function kafkaTestOptions(clientId: string): KafkaOptions {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run through the integration project (global set-up)');
  return {
    brokers: brokers.split(','),
    clientId,
    sasl: testKafkaSasl('admin'),
    defaultPartitions: 3,
    defaultReplicationFactor: 1,
    defaultMinInsyncReplicas: 1,
    producerRetryTimeMs: 30000,
    sessionTimeoutMs: 6000,
  };
}
