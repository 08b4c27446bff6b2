import * as fs from 'node:fs';
import { EnvReader } from '@korpu/config';
import { DEFAULT_COMMIT_INTERVAL_MS, DEFAULT_PRODUCER_CONNECTIONS, KafkaOptions, KafkaProfile, KafkaSasl, KafkaSaslMechanism, KafkaTls } from './kafka.options';

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
 * KAFKA_SESSION_TIMEOUT_MS, KAFKA_PRODUCER_RETRY_MS, KAFKA_PRODUCER_CONNECTIONS, KAFKA_CONSUMER_COMMIT_INTERVAL_MS, the durability of topics created (KAFKA_PROFILE,
 * KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS: see readTopicDurability), and the app's principal:
 * KAFKA_SASL_MECHANISM (SCRAM-SHA-512 by default once a user is set), KAFKA_SASL_USERNAME and
 * KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE (a file holding the password, for secret mounts); and TLS to the
 * brokers (KAFKA_SSL, KAFKA_SSL_*: see readKafkaTls).
 */
export function readKafkaOptions(read: EnvReader, clientId: string, readFile: SecretFileReader = readSecretFile): KafkaOptions {
  const profile = read.oneOf<KafkaProfile>('KAFKA_PROFILE', ['local', 'production'], 'local');
  const sasl = readKafkaSasl(read, readFile);
  const ssl = readKafkaTls(read, readFile, profile);
  const durability = readTopicDurability(read, profile);
  return {
    brokers: read.list('KAFKA_BROKERS', ['127.0.0.1:9092']),
    clientId,
    ...(sasl ? { sasl } : {}),
    ...(ssl ? { ssl } : {}),
    topicPrefix: read.string('KAFKA_TOPIC_PREFIX', 'korpu'),
    defaultPartitions: read.int('KAFKA_TOPIC_PARTITIONS', 6, { min: 1, max: 1000 }),
    defaultReplicationFactor: durability.replicationFactor,
    defaultMinInsyncReplicas: durability.minInsyncReplicas,
    sessionTimeoutMs: read.int('KAFKA_SESSION_TIMEOUT_MS', 10000, { min: 6000, max: 300000 }),
    producerRetryTimeMs: read.int('KAFKA_PRODUCER_RETRY_MS', 30000, { min: 1000, max: 90000 }),
    producerConnections: read.int('KAFKA_PRODUCER_CONNECTIONS', DEFAULT_PRODUCER_CONNECTIONS, { min: 1, max: 32 }),
    commitIntervalMs: read.int('KAFKA_CONSUMER_COMMIT_INTERVAL_MS', DEFAULT_COMMIT_INTERVAL_MS, { min: 0, max: 5000 }),
  };
}

/**
 * KAFKA_PROFILE=local (default): one broker, replication factor 1 and min.insync.replicas 1 — a broker's loss loses
 * its topics, stated rather than hidden. KAFKA_PROFILE=production: replication factor 3 and min.insync.replicas 2
 * unless set, and boot is refused below either (a write then survives one broker's loss). In every profile
 * KAFKA_MIN_INSYNC_REPLICAS may not exceed KAFKA_REPLICATION_FACTOR (no write could ever be acknowledged).
 */
function readTopicDurability(read: EnvReader, profile: KafkaProfile): { replicationFactor: number; minInsyncReplicas: number } {
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

/**
 * KAFKA_SSL=true: the client speaks TLS to the brokers (their SASL_SSL listener) and verifies each broker's
 * certificate against KAFKA_SSL_CA_FILE (required: the ministry's own CA, never whatever roots the image happens to
 * carry, and never an unverified connection). KAFKA_SSL_CERT_FILE + KAFKA_SSL_KEY_FILE (both or neither): a client
 * certificate, for brokers that require one (ssl.client.auth=required). KAFKA_SSL_SERVERNAME: the name the
 * certificates are checked against when the broker addresses are not in them (IP addresses behind a load balancer).
 *
 * KAFKA_PROFILE=production refuses to boot without TLS: SASL SCRAM keeps the password off the wire, but the messages
 * (personal data of citizens) and the ACL-bearing session would cross the network in clear, and an on-path attacker
 * could take the authenticated connection over. The one override, KAFKA_ALLOW_PLAINTEXT=true, is for a transport that
 * is already encrypted and authenticated below Kafka (a service mesh's mTLS, a broker on the pod's loopback) or for a
 * three-node cluster on one host in tests; it must be written down, not defaulted. An auditor finds it in the
 * environment, and the app logs nothing less than what it was told.
 */
function readKafkaTls(read: EnvReader, readFile: SecretFileReader, profile: KafkaProfile): KafkaTls | undefined {
  const enabled = read.bool('KAFKA_SSL', false);
  const allowPlaintext = read.bool('KAFKA_ALLOW_PLAINTEXT', false);
  const servername = read.string('KAFKA_SSL_SERVERNAME');
  const files = { KAFKA_SSL_CA_FILE: read.string('KAFKA_SSL_CA_FILE'), KAFKA_SSL_CERT_FILE: read.string('KAFKA_SSL_CERT_FILE'), KAFKA_SSL_KEY_FILE: read.string('KAFKA_SSL_KEY_FILE') };
  if (!enabled) {
    const stray = Object.entries({ ...files, KAFKA_SSL_SERVERNAME: servername }).filter(([, value]) => value !== undefined).map(([name]) => name);
    if (stray.length > 0) read.problem(`${stray.join(', ')} ${stray.length === 1 ? 'is' : 'are'} set but KAFKA_SSL is not true: set KAFKA_SSL=true to use TLS`);
    if (profile === 'production' && !allowPlaintext) {
      read.problem('KAFKA_SSL=true (with KAFKA_SSL_CA_FILE) is required with KAFKA_PROFILE=production: the brokers are reached over a network (set KAFKA_ALLOW_PLAINTEXT=true only when the transport is encrypted below Kafka)');
    }
    return undefined;
  }
  if (allowPlaintext) read.problem('KAFKA_ALLOW_PLAINTEXT=true contradicts KAFKA_SSL=true: set only one');
  if (files.KAFKA_SSL_CA_FILE === undefined) read.problem('KAFKA_SSL_CA_FILE is required with KAFKA_SSL=true (the CA bundle that verifies the brokers)');
  if ((files.KAFKA_SSL_CERT_FILE === undefined) !== (files.KAFKA_SSL_KEY_FILE === undefined)) {
    read.problem('KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together (a client certificate and its key): set both or neither');
  }
  const ca = readPem(read, readFile, 'KAFKA_SSL_CA_FILE', files.KAFKA_SSL_CA_FILE, 'CERTIFICATE');
  const cert = readPem(read, readFile, 'KAFKA_SSL_CERT_FILE', files.KAFKA_SSL_CERT_FILE, 'CERTIFICATE');
  const key = readPem(read, readFile, 'KAFKA_SSL_KEY_FILE', files.KAFKA_SSL_KEY_FILE, 'PRIVATE KEY');
  return { ca: ca ?? '', ...(cert && key ? { cert, key } : {}), ...(servername ? { servername } : {}) };
}

/** The PEM text of the file named by `variable`, or a problem naming the variable and the file (never its content). */
function readPem(read: EnvReader, readFile: SecretFileReader, variable: string, file: string | undefined, label: 'CERTIFICATE' | 'PRIVATE KEY'): string | undefined {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = readFile(file);
  } catch (error) {
    read.problem(`${variable} cannot be read (${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
  // "PRIVATE KEY" also matches "RSA PRIVATE KEY" and "EC PRIVATE KEY" (PKCS#1, SEC1); Node's TLS takes all three.
  if (!new RegExp(`-----BEGIN [A-Z ]*${label}-----`).test(text)) {
    read.problem(`${variable} (${file}) holds no PEM ${label === 'CERTIFICATE' ? 'certificate' : 'private key'}`);
    return undefined;
  }
  return text;
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
