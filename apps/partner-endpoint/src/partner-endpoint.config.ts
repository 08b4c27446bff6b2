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

export type TlsMode = 'off' | 'optional' | 'required';

export interface PartnerEndpointConfig {
  host: string;
  port: number;
  instanceId: string;
  maxBodyBytes: number;
  /** How long a caller waits for the owning subsystem's reply. */
  replyTimeoutMs: number;
  kafka: KafkaOptions;
  database: DatabaseConnectionOptions;
  /** contracts/ministry: services.json and the WSDL. */
  ministryDir: string;
  /** contracts/clients.json: clients, their rights and the certificates that identify them. */
  clientsFile: string;
  /** PKI_DIR: where `pki:` certificate references in clients.json point. */
  pkiDir: string;
  schemasDir: string;
  /**
   * `off`: HTTP. `optional`/`required`: HTTPS asking for a client certificate (required: refuse callers without one).
   * The TLS client CA (TLS_CLIENT_CA_FILE) is separate from the signature trust store (TRUST_CA_FILES): a CA
   * trusted for TLS only cannot vouch for a signer.
   */
  tls: { mode: TlsMode; certFile: string; keyFile: string; clientCaFile: string };
  /** owner subsystem → its callback URL (inbound requests are POSTed there); others consume Kafka themselves. */
  subsystemCallbacks: Record<string, string>;
  callbackTimeoutMs: number;
  /** Attempts of a subsystem callback that fails for a moment (connection refused/reset, timeout, 5xx). */
  callbackAttempts: number;
  signature: SignatureModuleOptions;
  /** DATA_KEYS / DATA_ACTIVE_KEY: the keys personal data is encrypted with at rest, in every store (docs/keys.md). */
  dataKeys: DataKeysOptions;
  messageLog: MessageLogModuleOptions;
  /** XML_MAX_DEPTH, XML_MAX_ELEMENTS, XML_MAX_ATTRIBUTES: refused while read (before any signature work). */
  xml: XmlLimits;
  /** INBOUND_REFUSAL_LOG_PER_MINUTE: refusals logged per source address and minute; beyond that only counted. */
  refusalLogPerMinute: number;
  /** One operational record per inbound exchange, written in batches (OPERATIONAL_RECORDS_*). */
  operationalRecords: OperationalMonitoringOptions;
}

/** Read once at boot; an invalid variable stops the partner endpoint with an error naming it. */
export function loadPartnerEndpointConfig(env: Env): PartnerEndpointConfig {
  const read = new EnvReader(env);
  const instanceId = read.string('INSTANCE_ID', `${os.hostname()}-${process.pid}`);
  const contractsDir = read.string('CONTRACTS_DIR', path.join(repoRoot, 'contracts'));
  const pkiDir = read.string('PKI_DIR', path.join(repoRoot, 'certs-dev/out'));
  const dataKeys = readDataKeys(read);
  const config: PartnerEndpointConfig = {
    host: read.string('PARTNER_ENDPOINT_HOST', '127.0.0.1'),
    port: read.int('PARTNER_ENDPOINT_PORT', 8082, { min: 0, max: 65535 }),
    instanceId,
    maxBodyBytes: read.int('MAX_BODY_BYTES', 1024 * 1024, { min: 1024, max: 64 * 1024 * 1024 }),
    replyTimeoutMs: read.int('INBOUND_REPLY_TIMEOUT_MS', 10000, { min: 100, max: 300000 }),
    kafka: readKafkaOptions(read, `korpu-partner-endpoint-${instanceId}`),
    database: readDatabaseOptions(read, repoRoot, 'korpu-partner-endpoint'),
    ministryDir: read.string('MINISTRY_CONTRACTS_DIR', path.join(contractsDir, 'ministry')),
    clientsFile: read.string('CLIENTS_FILE', path.join(contractsDir, 'clients.json')),
    pkiDir,
    schemasDir: read.string('SCHEMAS_DIR', path.join(repoRoot, 'schemas')),
    tls: {
      mode: read.oneOf('PARTNER_ENDPOINT_TLS', ['off', 'optional', 'required'] as const, 'off'),
      certFile: read.string('TLS_CERT_FILE', path.join(pkiDir, 'tls', 'localhost.chain.crt')),
      keyFile: read.string('TLS_KEY_FILE', path.join(pkiDir, 'tls', 'localhost.key')),
      clientCaFile: read.string('TLS_CLIENT_CA_FILE', path.join(pkiDir, 'ca', 'trust-bundle.crt')),
    },
    subsystemCallbacks: read.map('SUBSYSTEM_CALLBACKS'),
    callbackTimeoutMs: read.int('SUBSYSTEM_CALLBACK_TIMEOUT_MS', 10000, { min: 100, max: 300000 }),
    callbackAttempts: read.int('SUBSYSTEM_CALLBACK_ATTEMPTS', 3, { min: 1, max: 10 }),
    signature: readSignatureOptions(read, { pkiDir, keyName: 'gateway-rsa' }),
    dataKeys,
    messageLog: messageLogOptions(dataKeys),
    xml: readXmlLimits(read),
    refusalLogPerMinute: read.int('INBOUND_REFUSAL_LOG_PER_MINUTE', 60, { min: 1, max: 100000 }),
    operationalRecords: readOperationalMonitoringOptions(read, 'partner-endpoint', instanceId),
  };
  read.done();
  return config;
}
