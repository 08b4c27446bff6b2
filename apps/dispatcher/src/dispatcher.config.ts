import * as os from 'node:os';
import * as path from 'node:path';
import { Env, EnvReader } from '@korpu/config';
import { KafkaOptions, readKafkaOptions } from '@korpu/messaging';
import { DatabaseConnectionOptions, readDatabaseOptions } from '@korpu/store';
import { DataKeysOptions, readDataKeys } from '@korpu/crypto-at-rest';
import { MessageLogModuleOptions, messageLogOptions } from '@korpu/message-log';
import { SignatureModuleOptions, readSignatureOptions } from '@korpu/signature';
import { XmlLimits, readXmlLimits } from '@korpu/xml';
import { OperationalMonitoringOptions, readOperationalMonitoringOptions } from '@korpu/operational-monitoring';

const repoRoot = path.resolve(__dirname, '../../..');

export interface DispatcherConfig {
  host: string;
  port: number;
  instanceId: string;
  groupId: string;
  partitionsConsumedConcurrently: number;
  /**
   * DISPATCHER_KEY_CONCURRENCY: within one partition, messages of different correlation ids delivered at once (one
   * correlation's in order). The partner's own budget still holds: its HTTP pool has maxConcurrency sockets.
   */
  keysConsumedConcurrently: number;
  kafka: KafkaOptions;
  database: DatabaseConnectionOptions;
  contractsDir: string;
  /** PKI_DIR: where the contracts' `pki:` certificate references (a partner's `signers`) point. */
  pkiDir: string;
  /** contracts/clients.json: the clients whose access rights are checked again before delivery (seeded by the gateway). */
  clientsFile: string;
  partnerEndpoints: Record<string, string>;
  schemasDir: string;
  /** DATA_KEYS / DATA_ACTIVE_KEY: the keys personal data is encrypted with at rest, in every store (docs/keys.md). */
  dataKeys: DataKeysOptions;
  messageLog: MessageLogModuleOptions;
  /** XML_MAX_DEPTH, XML_MAX_ELEMENTS, XML_MAX_ATTRIBUTES of partner replies (readXmlLimits). */
  xml: XmlLimits;
  /** The dispatcher signs outbound requests with the ministry's gateway key and verifies partners' replies. */
  signature: SignatureModuleOptions;
  /** One operational record per delivery attempt, written in batches (OPERATIONAL_RECORDS_*). */
  operationalRecords: OperationalMonitoringOptions;
}

export function loadDispatcherConfig(env: Env): DispatcherConfig {
  const read = new EnvReader(env);
  const instanceId = read.string('INSTANCE_ID', `${os.hostname()}-${process.pid}`);
  const pkiDir = read.string('PKI_DIR', path.join(repoRoot, 'certs-dev/out'));
  const contractsDir = read.string('CONTRACTS_DIR', path.join(repoRoot, 'contracts'));
  const dataKeys = readDataKeys(read);
  const config: DispatcherConfig = {
    host: read.string('DISPATCHER_HOST', '127.0.0.1'),
    port: read.int('DISPATCHER_PORT', 8081, { min: 0, max: 65535 }),
    instanceId,
    groupId: read.string('DISPATCHER_GROUP_ID', 'korpu-dispatcher'),
    partitionsConsumedConcurrently: read.int('DISPATCHER_CONCURRENCY', 8, { min: 1, max: 256 }),
    keysConsumedConcurrently: read.int('DISPATCHER_KEY_CONCURRENCY', 16, { min: 1, max: 256 }),
    kafka: readKafkaOptions(read, `korpu-dispatcher-${instanceId}`),
    database: readDatabaseOptions(read, repoRoot, 'korpu-dispatcher'),
    contractsDir,
    pkiDir,
    clientsFile: read.string('CLIENTS_FILE', path.join(contractsDir, 'clients.json')),
    partnerEndpoints: read.map('PARTNER_ENDPOINTS'),
    schemasDir: read.string('SCHEMAS_DIR', path.join(repoRoot, 'schemas')),
    dataKeys,
    messageLog: messageLogOptions(dataKeys),
    xml: readXmlLimits(read),
    signature: readSignatureOptions(read, { pkiDir, keyName: 'gateway-rsa' }),
    operationalRecords: readOperationalMonitoringOptions(read, 'dispatcher', instanceId),
  };
  read.done();
  return config;
}
