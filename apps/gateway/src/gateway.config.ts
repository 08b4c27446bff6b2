import * as os from 'node:os';
import * as path from 'node:path';
import { Env, EnvReader } from '@korpu/config';
import { MessageLogModuleOptions, readMessageLogOptions } from '@korpu/message-log';

const repoRoot = path.resolve(__dirname, '../../..');

export interface GatewayConfig {
  host: string;
  port: number;
  instanceId: string;
  maxBodyBytes: number;
  exchangeTimeoutMs: number;
  kafka: { brokers: string[]; topicPrefix: string; partitions: number; replicationFactor: number };
  databaseUrl?: string;
  pgliteDataDir: string;
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
  const contractsDir = read.string('CONTRACTS_DIR', path.join(repoRoot, 'contracts'));
  const config: GatewayConfig = {
    host: read.string('GATEWAY_HOST', '127.0.0.1'),
    port: read.int('GATEWAY_PORT', 8080, { min: 0, max: 65535 }),
    instanceId: read.string('INSTANCE_ID', `${os.hostname()}-${process.pid}`),
    maxBodyBytes: read.int('MAX_BODY_BYTES', 1024 * 1024, { min: 1024, max: 64 * 1024 * 1024 }),
    exchangeTimeoutMs: read.int('EXCHANGE_TIMEOUT_MS', 15000, { min: 100, max: 300000 }),
    kafka: {
      brokers: read.list('KAFKA_BROKERS', ['127.0.0.1:9092']),
      topicPrefix: read.string('KAFKA_TOPIC_PREFIX', 'korpu'),
      partitions: read.int('KAFKA_TOPIC_PARTITIONS', 3, { min: 1, max: 1000 }),
      replicationFactor: read.int('KAFKA_REPLICATION_FACTOR', 1, { min: 1, max: 10 }),
    },
    databaseUrl: read.url('DATABASE_URL'),
    pgliteDataDir: read.string('PGLITE_DATA_DIR', path.join(repoRoot, '.local/pglite')),
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
