/**
 * `npm start`: a local Kafka broker, a local PostgreSQL server, the partner simulators and every Körpü app,
 * as separate processes like in production. Prints where to try things; Ctrl-C stops what it started.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { AppProcess, httpReady, repoRoot, startApp, stopAllApps } from '@korpu/testing';
import { ensureDevPki } from '../certs-dev/dev-pki';
import { startLocalDatabase } from './local-database';

const kafkaPort = process.env.KAFKA_PORT ?? '9092';
const gatewayPort = process.env.GATEWAY_PORT ?? '8080';
const dispatcherPort = process.env.DISPATCHER_PORT ?? '8081';
const taxServicePort = process.env.TAX_SERVICE_PORT ?? '7102';

async function main(): Promise<void> {
  const kafkaScript = path.join(repoRoot, 'deploy/local/kafka.sh');
  execFileSync('bash', [kafkaScript, 'start'], { stdio: 'inherit', env: { ...process.env, KAFKA_PORT: kafkaPort } });
  await ensureDevPki(path.join(repoRoot, 'certs-dev/out'));
  const database = startLocalDatabase();
  const common = {
    KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`,
    DATABASE_URL: database.url,
    PARTNER_ENDPOINTS: `tax-service=http://127.0.0.1:${taxServicePort}`,
  };
  const apps: AppProcess[] = [];
  const log = (line: string) => process.stdout.write(`${line}\n`);
  apps.push(
    await startApp('simulators', 'apps/simulators/src/main.ts', { TAX_SERVICE_PORT: taxServicePort }, (out) =>
      out.includes('simulator tax-service listening'),
    ),
  );
  apps.push(
    await startApp('dispatcher', 'apps/dispatcher/src/main.ts', { ...common, DISPATCHER_PORT: dispatcherPort }, httpReady(`http://127.0.0.1:${dispatcherPort}/ready`)),
  );
  apps.push(
    await startApp('gateway', 'apps/gateway/src/main.ts', { ...common, GATEWAY_PORT: gatewayPort }, httpReady(`http://127.0.0.1:${gatewayPort}/ready`)),
  );
  log('');
  log('Körpü is running:');
  log(`  gateway (internal API)   http://127.0.0.1:${gatewayPort}   OpenAPI: http://127.0.0.1:${gatewayPort}/docs`);
  log(`  dispatcher               http://127.0.0.1:${dispatcherPort}/ready`);
  log(`  tax service simulator    http://127.0.0.1:${taxServicePort}/_sim/stats`);
  log(`  Kafka                    127.0.0.1:${kafkaPort}`);
  log(`  database                 ${database.url}`);
  log('Try the curl examples in README.md. Ctrl-C stops everything.');

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping...');
    await stopAllApps();
    database.stop();
    execFileSync('bash', [kafkaScript, 'stop'], { stdio: 'inherit', env: { ...process.env, KAFKA_PORT: kafkaPort } });
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  for (const app of apps) {
    void app.exited.then((exitCode) => {
      if (stopping) return;
      process.stderr.write(`${app.name} exited (${exitCode}):\n${app.output().slice(-4000)}\n`);
      void stop(1);
    });
  }
}

main().catch(async (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  await stopAllApps();
  process.exit(1);
});
