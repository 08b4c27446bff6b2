export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  /** Defaults for topics this app creates at boot. */
  defaultPartitions: number;
  defaultReplicationFactor: number;
  /** How long the producer keeps retrying a send while the broker is away, before the caller sees an error. */
  producerRetryTimeMs: number;
  sessionTimeoutMs: number;
  /** Prefix of every topic name (default `korpu`). */
  topicPrefix?: string;
}

export const KAFKA_OPTIONS = Symbol('KAFKA_OPTIONS');
