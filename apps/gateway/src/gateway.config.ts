import * as os from 'node:os';
import * as path from 'node:path';
import { Env, EnvReader } from '@korpu/config';
import { KafkaOptions, readKafkaOptions } from '@korpu/messaging';
import { DatabaseConnectionOptions, readDatabaseOptions } from '@korpu/store';
import { MessageLogModuleOptions, readMessageLogOptions } from '@korpu/message-log';

const repoRoot = path.resolve(__dirname, '../../..');

export interface GatewayConfig {
  host: string;
  port: number;
  instanceId: string;
  maxBodyBytes: number;
  exchangeTimeoutMs: number;
  kafka: KafkaOptions;
  database: DatabaseConnectionOptions;
  contractsDir: string;
  clientsFile: string;
  partnerEndpoints: Record<string, string>;
  schemasDir: string;
  messageLog: MessageLogModuleOptions;
  /** Bearer token → operator name, for the admin API of failed messages (none: nobody gets in). */
  adminOperators: Record<string, string>;
}

/** Read once at boot; an invalid variable stops the gateway with an error naming it. */
export function loadGatewayConfig(env: Env): GatewayConfig {
  const read = new EnvReader(env);
  const instanceId = read.string('INSTANCE_ID', `${os.hostname()}-${process.pid}`);
  const contractsDir = read.string('CONTRACTS_DIR', path.join(repoRoot, 'contracts'));
  const config: GatewayConfig = {
    host: read.string('GATEWAY_HOST', '127.0.0.1'),
    port: read.int('GATEWAY_PORT', 8080, { min: 0, max: 65535 }),
    instanceId,
    maxBodyBytes: read.int('MAX_BODY_BYTES', 1024 * 1024, { min: 1024, max: 64 * 1024 * 1024 }),
    exchangeTimeoutMs: read.int('EXCHANGE_TIMEOUT_MS', 15000, { min: 100, max: 300000 }),
    kafka: readKafkaOptions(read, `korpu-gateway-${instanceId}`),
    database: readDatabaseOptions(read, repoRoot, 'korpu-gateway'),
    contractsDir,
    clientsFile: read.string('CLIENTS_FILE', path.join(contractsDir, 'clients.json')),
    partnerEndpoints: read.map('PARTNER_ENDPOINTS'),
    schemasDir: read.string('SCHEMAS_DIR', path.join(repoRoot, 'schemas')),
    messageLog: readMessageLogOptions(read),
    adminOperators: read.map('ADMIN_OPERATORS'),
  };
  read.done();
  return config;
}
