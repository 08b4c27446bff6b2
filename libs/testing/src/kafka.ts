import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../..');
const script = path.join(repoRoot, 'deploy/local/kafka.sh');

/** The test broker listens on its own port so it never touches a developer's `npm start` broker. */
export function testKafkaPort(): number {
  return Number(process.env.TEST_KAFKA_PORT ?? 19092);
}

function kafkaEnv(): NodeJS.ProcessEnv {
  return { ...process.env, KAFKA_PORT: String(testKafkaPort()) };
}

export function isTestKafkaRunning(): boolean {
  try {
    execFileSync('bash', [script, 'status'], { env: kafkaEnv(), stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Starts the real single-node KRaft broker for tests unless one already answers; says whether it started it. */
export function ensureTestKafka(): { brokers: string; startedByUs: boolean } {
  const brokers = `127.0.0.1:${testKafkaPort()}`;
  if (isTestKafkaRunning()) return { brokers, startedByUs: false };
  execFileSync('bash', [script, 'start'], { env: kafkaEnv(), stdio: 'inherit' });
  return { brokers, startedByUs: true };
}

export function stopTestKafka(): void {
  execFileSync('bash', [script, 'stop'], { env: kafkaEnv(), stdio: 'inherit' });
}

/** Kills the broker hard (SIGKILL) for fault tests; `ensureTestKafka` starts it again on the same data. */
export function killTestKafka(): void {
  execFileSync('bash', [script, 'kill'], { env: kafkaEnv(), stdio: 'inherit' });
}
