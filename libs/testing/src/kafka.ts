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

async function kafkaSh(command: 'start' | 'stop' | 'kill' | 'status'): Promise<void> {
  const { stderr } = await run('bash', [script, command], {
    env: { ...process.env, KAFKA_PORT: String(testKafkaPort()), KAFKA_SECRETS_DIR: kafkaSecretsDir() },
    maxBuffer: 4 * 1024 * 1024,
  });
  if (stderr.trim()) process.stderr.write(`${stderr.trim()}\n`);
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
