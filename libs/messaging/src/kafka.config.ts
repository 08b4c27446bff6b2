import * as fs from 'node:fs';
import { EnvReader } from '@korpu/config';
import { KafkaOptions, KafkaProfile, KafkaSasl, KafkaSaslMechanism } from './kafka.options';

/** Kafka's names for the SASL mechanisms (as in a broker's sasl.enabled.mechanisms) → kafkajs's. */
const MECHANISMS: Record<string, KafkaSaslMechanism> = { 'SCRAM-SHA-512': 'scram-sha-512', 'SCRAM-SHA-256': 'scram-sha-256', PLAIN: 'plain' };

/** Durability of the topics created, per KAFKA_PROFILE: the defaults and the least a profile accepts. */
const DURABILITY: Record<KafkaProfile, { replicationFactor: number; minInsyncReplicas: number }> = {
  local: { replicationFactor: 1, minInsyncReplicas: 1 },
  production: { replicationFactor: 3, minInsyncReplicas: 2 },
};

export type SecretFileReader = (file: string) => string;

const readSecretFile: SecretFileReader = (file) => fs.readFileSync(file, 'utf8');

/**
 * Kafka settings every app reads the same way: KAFKA_BROKERS, KAFKA_TOPIC_PREFIX, KAFKA_TOPIC_PARTITIONS,
 * KAFKA_SESSION_TIMEOUT_MS, KAFKA_PRODUCER_RETRY_MS, the durability of topics created (KAFKA_PROFILE,
 * KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS: see readTopicDurability), and the app's principal:
 * KAFKA_SASL_MECHANISM (SCRAM-SHA-512 by default once a user is set), KAFKA_SASL_USERNAME and
 * KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE (a file holding the password, for secret mounts).
 */
export function readKafkaOptions(read: EnvReader, clientId: string, readFile: SecretFileReader = readSecretFile): KafkaOptions {
  const sasl = readKafkaSasl(read, readFile);
  const durability = readTopicDurability(read);
  return {
    brokers: read.list('KAFKA_BROKERS', ['127.0.0.1:9092']),
    clientId,
    ...(sasl ? { sasl } : {}),
    topicPrefix: read.string('KAFKA_TOPIC_PREFIX', 'korpu'),
    defaultPartitions: read.int('KAFKA_TOPIC_PARTITIONS', 6, { min: 1, max: 1000 }),
    defaultReplicationFactor: durability.replicationFactor,
    defaultMinInsyncReplicas: durability.minInsyncReplicas,
    sessionTimeoutMs: read.int('KAFKA_SESSION_TIMEOUT_MS', 10000, { min: 6000, max: 300000 }),
    producerRetryTimeMs: read.int('KAFKA_PRODUCER_RETRY_MS', 30000, { min: 1000, max: 90000 }),
  };
}

/**
 * KAFKA_PROFILE=local (default): one broker, replication factor 1 and min.insync.replicas 1 — a broker's loss loses
 * its topics, stated rather than hidden. KAFKA_PROFILE=production: replication factor 3 and min.insync.replicas 2
 * unless set, and boot is refused below either (a write then survives one broker's loss). In every profile
 * KAFKA_MIN_INSYNC_REPLICAS may not exceed KAFKA_REPLICATION_FACTOR (no write could ever be acknowledged).
 */
function readTopicDurability(read: EnvReader): { replicationFactor: number; minInsyncReplicas: number } {
  const profile = read.oneOf<KafkaProfile>('KAFKA_PROFILE', ['local', 'production'], 'local');
  const least = DURABILITY[profile];
  const replicationFactor = read.int('KAFKA_REPLICATION_FACTOR', least.replicationFactor, { min: 1, max: 10 });
  const minInsyncReplicas = read.int('KAFKA_MIN_INSYNC_REPLICAS', least.minInsyncReplicas, { min: 1, max: 10 });
  if (replicationFactor < least.replicationFactor) {
    read.problem(`KAFKA_REPLICATION_FACTOR must be at least ${least.replicationFactor} with KAFKA_PROFILE=${profile}, got ${replicationFactor}`);
  }
  if (minInsyncReplicas < least.minInsyncReplicas) {
    read.problem(`KAFKA_MIN_INSYNC_REPLICAS must be at least ${least.minInsyncReplicas} with KAFKA_PROFILE=${profile}, got ${minInsyncReplicas}`);
  }
  if (minInsyncReplicas > replicationFactor) {
    read.problem(`KAFKA_MIN_INSYNC_REPLICAS (${minInsyncReplicas}) must not exceed KAFKA_REPLICATION_FACTOR (${replicationFactor}): no write could be acknowledged`);
  }
  return { replicationFactor, minInsyncReplicas };
}

function readKafkaSasl(read: EnvReader, readFile: SecretFileReader): KafkaSasl | undefined {
  const mechanismName = read.oneOf('KAFKA_SASL_MECHANISM', [...Object.keys(MECHANISMS), 'NONE'], 'SCRAM-SHA-512');
  const username = read.string('KAFKA_SASL_USERNAME');
  const inline = read.string('KAFKA_SASL_PASSWORD');
  const file = read.string('KAFKA_SASL_PASSWORD_FILE');
  if (mechanismName === 'NONE') {
    if (username !== undefined || inline !== undefined || file !== undefined) {
      read.problem('KAFKA_SASL_MECHANISM=NONE leaves no use for KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE');
    }
    return undefined;
  }
  // Nothing set at all: a broker without SASL (the mechanism's default applies once a user is named).
  if (username === undefined && inline === undefined && file === undefined && read.string('KAFKA_SASL_MECHANISM') === undefined) return undefined;
  if (username === undefined) read.problem(`KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM=${mechanismName}`);
  if (inline !== undefined && file !== undefined) read.problem('set only one of KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE');
  let password = inline;
  if (inline === undefined && file !== undefined) {
    try {
      password = readFile(file).replace(/\r?\n$/, '');
      if (password === '') read.problem(`KAFKA_SASL_PASSWORD_FILE names an empty file (${file})`);
    } catch (error) {
      read.problem(`KAFKA_SASL_PASSWORD_FILE cannot be read (${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (inline === undefined && file === undefined) read.problem(`KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE is required with KAFKA_SASL_MECHANISM=${mechanismName}`);
  return { mechanism: MECHANISMS[mechanismName] ?? 'scram-sha-512', username: username ?? '', password: password ?? '' };
}
