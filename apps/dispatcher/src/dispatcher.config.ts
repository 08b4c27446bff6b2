import * as os from 'node:os';
import * as path from 'node:path';
import { Env, EnvReader } from '@korpu/config';
import { MessageLogModuleOptions, readMessageLogOptions } from '@korpu/message-log';
import { SignatureModuleOptions, readSignatureOptions } from '@korpu/signature';

const repoRoot = path.resolve(__dirname, '../../..');

export interface DispatcherConfig {
  host: string;
  port: number;
  instanceId: string;
  groupId: string;
  partitionsConsumedConcurrently: number;
  kafka: { brokers: string[]; topicPrefix: string; partitions: number; replicationFactor: number; sessionTimeoutMs: number };
  databaseUrl?: string;
  pgliteDataDir: string;
  contractsDir: string;
  partnerEndpoints: Record<string, string>;
  schemasDir: string;
  messageLog: MessageLogModuleOptions;
  /** The dispatcher signs outbound requests with the ministry's gateway key and verifies partners' replies. */
  signature: SignatureModuleOptions;
}

export function loadDispatcherConfig(env: Env): DispatcherConfig {
  const read = new EnvReader(env);
  const config: DispatcherConfig = {
    host: read.string('DISPATCHER_HOST', '127.0.0.1'),
    port: read.int('DISPATCHER_PORT', 8081, { min: 0, max: 65535 }),
    instanceId: read.string('INSTANCE_ID', `${os.hostname()}-${process.pid}`),
    groupId: read.string('DISPATCHER_GROUP_ID', 'korpu-dispatcher'),
    partitionsConsumedConcurrently: read.int('DISPATCHER_CONCURRENCY', 4, { min: 1, max: 256 }),
    kafka: {
      brokers: read.list('KAFKA_BROKERS', ['127.0.0.1:9092']),
      topicPrefix: read.string('KAFKA_TOPIC_PREFIX', 'korpu'),
      partitions: read.int('KAFKA_TOPIC_PARTITIONS', 3, { min: 1, max: 1000 }),
      replicationFactor: read.int('KAFKA_REPLICATION_FACTOR', 1, { min: 1, max: 10 }),
      sessionTimeoutMs: read.int('KAFKA_SESSION_TIMEOUT_MS', 10000, { min: 6000, max: 300000 }),
    },
    databaseUrl: read.url('DATABASE_URL'),
    pgliteDataDir: read.string('PGLITE_DATA_DIR', path.join(repoRoot, '.local/pglite')),
    contractsDir: read.string('CONTRACTS_DIR', path.join(repoRoot, 'contracts')),
    partnerEndpoints: read.map('PARTNER_ENDPOINTS'),
    schemasDir: read.string('SCHEMAS_DIR', path.join(repoRoot, 'schemas')),
    messageLog: readMessageLogOptions(read),
    signature: readSignatureOptions(read, { pkiDir: path.join(repoRoot, 'certs-dev/out'), keyName: 'gateway-rsa' }),
  };
  read.done();
  return config;
}
