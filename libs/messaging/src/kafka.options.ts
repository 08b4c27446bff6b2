export type KafkaSaslMechanism = 'scram-sha-512' | 'scram-sha-256' | 'plain';

/** SASL credentials of the app's principal. The password is never logged or put into an error. */
export interface KafkaSasl {
  mechanism: KafkaSaslMechanism;
  username: string;
  password: string;
}

export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  /** Absent: no authentication (a broker without SASL). */
  sasl?: KafkaSasl;
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
