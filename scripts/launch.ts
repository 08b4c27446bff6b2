/**
 * `npm start`: a local Kafka broker, a local PostgreSQL server, the partner simulators and every Körpü app,
 * as separate processes like in production. Prints where to try things; Ctrl-C stops what it started.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureDevDataKeys } from '@korpu/crypto-at-rest';
import { AppProcess, httpReady, httpsReady, kafkaCredentialsEnv, repoRoot, startApp, startDirectory, stopAllApps, writeOperatorAccountsFile } from '@korpu/testing';
import { ensureDevPki } from '../certs-dev/dev-pki';
import { startLocalDatabase } from './local-database';

const kafkaPort = process.env.KAFKA_PORT ?? '9092';
const ports = {
  gateway: process.env.GATEWAY_PORT ?? '8080',
  admin: process.env.ADMIN_PORT ?? '8090',
  dispatcher: process.env.DISPATCHER_PORT ?? '8081',
  partnerEndpoint: process.env.PARTNER_ENDPOINT_PORT ?? '8082',
  populationRegistry: process.env.POPULATION_REGISTRY_PORT ?? '7101',
  taxService: process.env.TAX_SERVICE_PORT ?? '7102',
  ministrySubsystem: process.env.MINISTRY_SUBSYSTEM_PORT ?? '7103',
  egovPortal: process.env.EGOV_PORTAL_PORT ?? '7104',
};
const local = (port: string) => `http://127.0.0.1:${port}`;

async function main(): Promise<void> {
  // First: kafka.sh takes the broker's certificate (KAFKA_TLS=1) from this PKI.
  const pki = await ensureDevPki(path.join(repoRoot, 'certs-dev/out'));
  const kafkaScript = path.join(repoRoot, 'deploy/local/kafka.sh');
  // KAFKA_TLS=1 npm start: the broker's client listener is SASL_SSL (dev PKI kafka-broker certificate) and every app
  // verifies it against the dev trust bundle; by default SASL_PLAINTEXT on 127.0.0.1 (nothing crosses a network).
  const kafkaTls = process.env.KAFKA_TLS === '1';
  execFileSync('bash', [kafkaScript, 'start'], { stdio: 'inherit', env: { ...process.env, KAFKA_PORT: kafkaPort } });
  // As the admin principal: each app role's ACLs on topics korpu.* and the fixed topics (idempotent).
  execFileSync('bash', [kafkaScript, 'provision', 'korpu'], { stdio: 'inherit', env: { ...process.env, KAFKA_PORT: kafkaPort } });
  const database = startLocalDatabase();
  // A service token (admin) for curl, and a break-glass account for the console: new at every start, each kept in a
  // file only its owner can read (their paths are printed below, never the secrets).
  const operatorToken = randomBytes(18).toString('base64url');
  const operatorTokenFile = path.join(repoRoot, '.local/admin-service.token');
  fs.writeFileSync(operatorTokenFile, `${operatorToken}\n`, { mode: 0o600 });
  const breakGlassPassword = randomBytes(12).toString('base64url');
  const breakGlassFile = path.join(repoRoot, '.local/operator-breakglass.password');
  fs.writeFileSync(breakGlassFile, `${breakGlassPassword}\n`, { mode: 0o600 });
  const accountsFile = await writeOperatorAccountsFile(path.join(repoRoot, '.local/operator-accounts.json'), [
    { username: 'breakglass', password: breakGlassPassword, roles: ['admin'] },
  ]);
  // A seeded OpenLDAP directory standing in for the ministry's Active Directory (users in korpu-* groups).
  const slapdPort = process.env.SLAPD_PORT ?? '3389';
  const directory = await startDirectory({ ldap: Number(slapdPort), ldaps: Number(process.env.SLAPD_TLS_PORT ?? 3636) });
  const common = {
    KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`,
    ...(kafkaTls ? { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: pki.trustBundle } : {}),
    DATABASE_URL: database.url,
    PARTNER_ENDPOINTS: `tax-service=${local(ports.taxService)},population-registry=${local(ports.populationRegistry)}/soap`,
    // Personal data at rest (message log, replies, failed messages) encrypted with development keys made once.
    ...ensureDevDataKeys(path.join(repoRoot, '.local')),
    // Readable logs here (pino-pretty); production and the tests print JSON lines.
    LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  };
  const apps: AppProcess[] = [];
  const log = (line: string) => process.stdout.write(`${line}\n`);
  apps.push(
    await startApp(
      'simulators',
      'apps/simulators/src/main.ts',
      {
        TAX_SERVICE_PORT: ports.taxService,
        POPULATION_REGISTRY_PORT: ports.populationRegistry,
        MINISTRY_SUBSYSTEM_PORT: ports.ministrySubsystem,
        EGOV_PORTAL_PORT: ports.egovPortal,
        PARTNER_ENDPOINT_URL: local(ports.partnerEndpoint),
      },
      (out) => (out.match(/simulator \S+ listening/g) ?? []).length === 4,
    ),
  );
  apps.push(
    await startApp('dispatcher', 'apps/dispatcher/src/main.ts', { ...common, ...kafkaCredentialsEnv('dispatcher'), DISPATCHER_PORT: ports.dispatcher }, httpReady(`${local(ports.dispatcher)}/ready`)),
  );
  apps.push(
    await startApp(
      'partner-endpoint',
      'apps/partner-endpoint/src/main.ts',
      {
        ...common,
        ...kafkaCredentialsEnv('partner-endpoint'),
        PARTNER_ENDPOINT_PORT: ports.partnerEndpoint,
        SUBSYSTEM_CALLBACKS: `pensions=${local(ports.ministrySubsystem)}/callbacks/pensions,disability=${local(ports.ministrySubsystem)}/callbacks/disability`,
      },
      httpReady(`${local(ports.partnerEndpoint)}/ready`),
    ),
  );
  apps.push(
    await startApp(
      'gateway',
      'apps/gateway/src/main.ts',
      {
        ...common,
        ...kafkaCredentialsEnv('gateway'),
        GATEWAY_PORT: ports.gateway,
        ADMIN_PORT: ports.admin,
        ADMIN_OPERATORS: `${operatorToken}=local-operator`,
        OPERATOR_ACCOUNTS_FILE: accountsFile,
        ...directory.gatewayEnv('starttls'),
      },
      httpsReady(`https://127.0.0.1:${ports.gateway}/ready`, pki.trustBundle),
    ),
  );
  log('');
  log('Körpü is running:');
  log(`  gateway (internal API)        https://127.0.0.1:${ports.gateway}   OpenAPI: https://127.0.0.1:${ports.gateway}/docs`);
  log(`                                mutual TLS: each subsystem presents its certificate (certs-dev/out/tls/<subsystem>.crt)`);
  log(`  admin console and API         https://127.0.0.1:${ports.admin}/console/   OpenAPI: https://127.0.0.1:${ports.admin}/admin/docs`);
  log(`  partner endpoint (inbound)    ${local(ports.partnerEndpoint)}/soap?wsdl`);
  log(`  dispatcher                    ${local(ports.dispatcher)}/ready`);
  log(`  simulators                    tax service ${local(ports.taxService)}, population registry ${local(ports.populationRegistry)},`);
  log(`                                ministry subsystem ${local(ports.ministrySubsystem)}, e-Government portal ${local(ports.egovPortal)}`);
  log(`  Kafka                         127.0.0.1:${kafkaPort} (${kafkaTls ? 'SASL_SSL, CA certs-dev/out/ca/trust-bundle.crt' : 'SASL_PLAINTEXT'}, SCRAM-SHA-512; passwords in .local/kafka-credentials)`);
  log(`  PostgreSQL                    ${database.url}`);
  log(`                                personal data encrypted at rest (data keys in .local/data-keys.json, docs/keys.md)`);
  log(`  console sign-in               break-glass admin: breakglass, password in .local/operator-breakglass.password`);
  log(`                                directory (slapd, ${directory.ldapUrl}): vusal (viewer), aysel (operator),`);
  log(`                                leyla (editor + operator), rauf (admin); passwords in .local/slapd-${slapdPort}/passwords/`);
  log(`  admin API service token       in .local/admin-service.token: -H "Authorization: Bearer $(cat .local/admin-service.token)"`);
  log(`                                (or: npm run korpu -- sign-in --user breakglass)`);
  log('Try the curl examples in README.md. Ctrl-C stops everything.');

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping...');
    await stopAllApps();
    database.stop();
    await directory.stop();
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
