import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '../../..');

/** Where kafka.sh keeps the dev principals' passwords (one `<principal>.password` file each; git-ignored). */
export function kafkaSecretsDir(): string {
  return process.env.KAFKA_SECRETS_DIR ?? path.join(repoRoot, '.local/kafka-credentials');
}
const script = path.join(repoRoot, 'deploy/local/kafka.sh');

/** The test broker listens on its own port so it never touches a developer's `npm start` broker. */
export function testKafkaPort(): number {
  return Number(process.env.TEST_KAFKA_PORT ?? 19092);
}

async function kafkaSh(...args: string[]): Promise<string> {
  return kafkaShWith({}, ...args);
}

async function kafkaShWith(env: Record<string, string>, ...args: string[]): Promise<string> {
  const { stdout, stderr } = await run('bash', [script, ...args], {
    env: { ...process.env, KAFKA_PORT: String(testKafkaPort()), KAFKA_CLUSTER_PORT: String(testKafkaClusterPort()), KAFKA_SECRETS_DIR: kafkaSecretsDir(), ...env },
    maxBuffer: 4 * 1024 * 1024,
  });
  if (stderr.trim()) process.stderr.write(`${stderr.trim()}\n`);
  return stdout.trim();
}

/**
 * The three-node test cluster's first port (kafka.sh cluster: node N listens on base + 2(N-1), its controller on the
 * next port), apart from the single test broker's.
 */
export function testKafkaClusterPort(): number {
  return Number(process.env.TEST_KAFKA_CLUSTER_PORT ?? 29092);
}

/** Starts the three-node KRaft cluster unless it already runs; its bootstrap list and whether this call started it. */
export async function ensureTestKafkaCluster(): Promise<{ brokers: string; startedByUs: boolean }> {
  const brokers = await kafkaSh('cluster', 'brokers');
  try {
    await kafkaSh('cluster', 'status');
    return { brokers, startedByUs: false };
  } catch {
    await kafkaSh('cluster', 'start');
    return { brokers, startedByUs: true };
  }
}

export async function stopTestKafkaCluster(): Promise<void> {
  await kafkaSh('cluster', 'stop');
}

/** SIGKILLs one node (1-3) of the test cluster. */
export async function killTestKafkaClusterNode(node: number): Promise<void> {
  await kafkaSh('cluster', 'kill', String(node));
}

/** Starts a node of the test cluster again and waits until every partition is back in sync. */
export async function restartTestKafkaClusterNode(node: number): Promise<void> {
  await kafkaSh('cluster', 'restart', String(node));
}

export async function isTestKafkaRunning(): Promise<boolean> {
  try {
    await kafkaSh('status');
    return true;
  } catch {
    return false;
  }
}

/** Starts the real single-node KRaft broker for tests unless one already answers; says whether it started it. */
export async function ensureTestKafka(): Promise<{ brokers: string; startedByUs: boolean }> {
  const brokers = `127.0.0.1:${testKafkaPort()}`;
  if (await isTestKafkaRunning()) return { brokers, startedByUs: false };
  await kafkaSh('start');
  return { brokers, startedByUs: true };
}

export async function stopTestKafka(): Promise<void> {
  await kafkaSh('stop');
}

/** Kills the broker hard (SIGKILL) for fault tests; `ensureTestKafka` starts it again on the same data. */
export async function killTestKafka(): Promise<void> {
  await kafkaSh('kill');
}

/**
 * A single broker apart from the shared test broker (which stays SASL_PLAINTEXT on loopback), whose client listener is
 * SASL_SSL (kafka.sh with KAFKA_TLS=1 and the dev PKI's kafka-broker certificate): on TEST_KAFKA_PORT + 4 (its
 * controller on + 5) and its own data folder, with the same principals. `clientAuth: 'required'` asks every client for
 * a certificate of the dev PKI (mutual TLS); starting it again with another setting restarts it.
 */
export function testKafkaTlsPort(): number {
  return testKafkaPort() + 4;
}

const tlsBrokerEnv = (clientAuth: 'none' | 'required'): Record<string, string> => ({
  KAFKA_PORT: String(testKafkaTlsPort()),
  KAFKA_TLS: '1',
  KAFKA_TLS_CLIENT_AUTH: clientAuth,
  KAFKA_HEAP: '384m',
});

export async function startTestKafkaTls(clientAuth: 'none' | 'required' = 'none'): Promise<{ brokers: string }> {
  await kafkaShWith(tlsBrokerEnv(clientAuth), 'start');
  return { brokers: `127.0.0.1:${testKafkaTlsPort()}` };
}

/** `kafka.sh provision PREFIX` against the TLS broker (the provisioning CLI then speaks SASL_SSL itself). */
export async function provisionTestKafkaTls(prefix: string, clientAuth: 'none' | 'required' = 'none'): Promise<string> {
  return kafkaShWith(tlsBrokerEnv(clientAuth), 'provision', prefix);
}

export async function stopTestKafkaTls(): Promise<void> {
  await kafkaShWith({ KAFKA_PORT: String(testKafkaTlsPort()) }, 'stop');
}
