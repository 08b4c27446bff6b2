/** `local`: one broker (RF 1, min ISR 1); `production`: at least three brokers (RF 3, min ISR 2 by default and at least). */
export type KafkaProfile = 'local' | 'production';

export type KafkaSaslMechanism = 'scram-sha-512' | 'scram-sha-256' | 'plain';

/** SASL credentials of the app's principal. The password is never logged or put into an error. */
export interface KafkaSasl {
  mechanism: KafkaSaslMechanism;
  username: string;
  password: string;
}

/**
 * TLS to the brokers (their SASL_SSL listener), PEM text read from the files named by KAFKA_SSL_*_FILE at boot. The
 * broker's certificate is always verified against `ca` (never rejectUnauthorized: false); `cert` + `key` only when
 * the brokers ask for a client certificate (mutual TLS). The key is never logged or put into an error.
 */
export interface KafkaTls {
  /** CA bundle (PEM) the broker's certificate chain must lead to. */
  ca: string;
  /** Client certificate chain (PEM), for brokers with ssl.client.auth=required. */
  cert?: string;
  key?: string;
  /** Name checked against the broker's certificate (SNI) instead of the host of each broker address. */
  servername?: string;
}

export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  /** Absent: no authentication (a broker without SASL). */
  sasl?: KafkaSasl;
  /** Absent: plaintext (SASL_PLAINTEXT on loopback); refused with KAFKA_PROFILE=production unless overridden. */
  ssl?: KafkaTls;
  /** Defaults for topics this app (or provisioning) creates; applied to every topic created, never to existing ones. */
  defaultPartitions: number;
  defaultReplicationFactor: number;
  /**
   * `min.insync.replicas` of every topic created: with acks=all a write is refused (and retried by the producer)
   * unless this many replicas hold it. 1 on one local broker; 2 of 3 in production, so one broker may fail.
   */
  defaultMinInsyncReplicas: number;
  /**
   * How long the producer keeps retrying a send while the broker is away, before the caller sees an error
   * (KAFKA_PRODUCER_RETRY_MS, at most 90 s: below the 120 s lease of a claimed message id).
   */
  producerRetryTimeMs: number;
  /**
   * Producer connections to each broker (KAFKA_PRODUCER_CONNECTIONS, default 4): each carries one produce request at a
   * time, a partition always uses the same one. Absent: the default.
   */
  producerConnections?: number;
  sessionTimeoutMs: number;
  /**
   * How often a consumer commits the offsets it has handled (KAFKA_CONSUMER_COMMIT_INTERVAL_MS, default 250; 0: after
   * every batch, kafkajs' own way). A rebalance, a handler's failure and a stop commit at once whatever it says; only a
   * process that dies loses the last interval's commits, and the records of it come again (handlers are idempotent).
   * Absent: the default.
   */
  commitIntervalMs?: number;
  /** Prefix of every topic name (default `korpu`). */
  topicPrefix?: string;
}

/** Default of KAFKA_PRODUCER_CONNECTIONS. */
export const DEFAULT_PRODUCER_CONNECTIONS = 4;

/** Default of KAFKA_CONSUMER_COMMIT_INTERVAL_MS. */
export const DEFAULT_COMMIT_INTERVAL_MS = 250;

export const KAFKA_OPTIONS = Symbol('KAFKA_OPTIONS');
