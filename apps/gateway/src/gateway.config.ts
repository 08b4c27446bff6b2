import * as os from 'node:os';
import * as path from 'node:path';
import { Env, EnvReader } from '@korpu/config';
import { KafkaOptions, readKafkaOptions } from '@korpu/messaging';
import { DatabaseConnectionOptions, readDatabaseOptions } from '@korpu/store';
import { DataKeysOptions, readDataKeys } from '@korpu/crypto-at-rest';
import { MessageLogModuleOptions, messageLogOptions } from '@korpu/message-log';
import { OperatorsOptions, readOperatorsOptions } from '@korpu/operators';
import { ReplayJobOptions, readReplayJobOptions } from '@korpu/failed-messages';
import { OperationalMonitoringOptions, readOperationalMonitoringOptions } from '@korpu/operational-monitoring';

const repoRoot = path.resolve(__dirname, '../../..');

export interface ServerTls {
  certFile: string;
  keyFile: string;
}

export interface GatewayConfig {
  host: string;
  port: number;
  /**
   * The internal API is HTTPS only and authenticates each subsystem by its TLS client certificate: the server
   * certificate, the CAs that issue subsystem certificates, and the CRLs the TLS layer checks them against.
   */
  tls: ServerTls & { clientCaFile: string; clientCrlFiles: string[] };
  /** The admin API and console listen apart (own address and TLS), so a browser needs no client certificate. */
  admin: { host: string; port: number; tls: ServerTls | undefined };
  instanceId: string;
  maxBodyBytes: number;
  exchangeTimeoutMs: number;
  /**
   * EXCHANGE_MAX_WAITING: synchronous exchanges this gateway holds waiting for a reply, over all partners (each
   * partner's own budget is `maxWaitingExchanges` in its partner.json); past it, 503 EXCHANGE_OVERLOADED.
   */
  exchangeMaxWaiting: number;
  kafka: KafkaOptions;
  database: DatabaseConnectionOptions;
  contractsDir: string;
  /** PKI_DIR: where the contracts' `pki:` certificate references point. */
  pkiDir: string;
  clientsFile: string;
  partnerEndpoints: Record<string, string>;
  schemasDir: string;
  /** DATA_KEYS / DATA_ACTIVE_KEY: the keys personal data is encrypted with at rest, in every store (docs/keys.md). */
  dataKeys: DataKeysOptions;
  messageLog: MessageLogModuleOptions;
  /** Operator sign-in (directory, break-glass accounts), sessions, service tokens (ADMIN_OPERATORS), throttling. */
  operators: OperatorsOptions;
  /**
   * Certificate files the inventory export lists (besides client registrations and partner signers): the
   * dispatcher's signing certificate (SIGNING_CERT_FILE), the signature trust store (TRUST_CA_FILES), the
   * internal API's TLS server certificate and client CA.
   */
  inventoryCertificates: Array<{ source: string; file: string }>;
  /** Bulk-replay jobs (the worker runs here, REPLAY_*) and the retention of closed failed messages (FAILED_RETENTION_*). */
  replayJobs: ReplayJobOptions;
  /** The admin API over operational records and their retention purge (OPERATIONAL_RECORDS_RETENTION_DAYS, ..._PURGE_*). */
  operationalRecords: OperationalMonitoringOptions;
}

/** Read once at boot; an invalid variable stops the gateway with an error naming it. */
export function loadGatewayConfig(env: Env): GatewayConfig {
  const read = new EnvReader(env);
  const instanceId = read.string('INSTANCE_ID', `${os.hostname()}-${process.pid}`);
  const contractsDir = read.string('CONTRACTS_DIR', path.join(repoRoot, 'contracts'));
  const pkiDir = read.string('PKI_DIR', path.join(repoRoot, 'certs-dev/out'));
  const serverCert = read.string('GATEWAY_TLS_CERT_FILE', path.join(pkiDir, 'tls', 'localhost.chain.crt'));
  const serverKey = read.string('GATEWAY_TLS_KEY_FILE', path.join(pkiDir, 'tls', 'localhost.key'));
  const dataKeys = readDataKeys(read);
  const config: GatewayConfig = {
    host: read.string('GATEWAY_HOST', '127.0.0.1'),
    port: read.int('GATEWAY_PORT', 8080, { min: 0, max: 65535 }),
    tls: {
      certFile: serverCert,
      keyFile: serverKey,
      clientCaFile: read.string('GATEWAY_TLS_CLIENT_CA_FILE', path.join(pkiDir, 'ca', 'trust-bundle.crt')),
      clientCrlFiles: read.list('GATEWAY_TLS_CLIENT_CRL_FILES', [path.join(pkiDir, 'crl', 'root-ca.crl'), path.join(pkiDir, 'crl', 'intermediate-ca.crl')]),
    },
    admin: {
      host: read.string('ADMIN_HOST', '127.0.0.1'),
      port: read.int('ADMIN_PORT', 8090, { min: 0, max: 65535 }),
      tls: read.bool('ADMIN_TLS', true)
        ? { certFile: read.string('ADMIN_TLS_CERT_FILE', serverCert), keyFile: read.string('ADMIN_TLS_KEY_FILE', serverKey) }
        : undefined,
    },
    instanceId,
    maxBodyBytes: read.int('MAX_BODY_BYTES', 1024 * 1024, { min: 1024, max: 64 * 1024 * 1024 }),
    exchangeTimeoutMs: read.int('EXCHANGE_TIMEOUT_MS', 15000, { min: 100, max: 300000 }),
    exchangeMaxWaiting: read.int('EXCHANGE_MAX_WAITING', 1024, { min: 1, max: 100000 }),
    kafka: readKafkaOptions(read, `korpu-gateway-${instanceId}`),
    database: readDatabaseOptions(read, repoRoot, 'korpu-gateway'),
    contractsDir,
    pkiDir,
    clientsFile: read.string('CLIENTS_FILE', path.join(contractsDir, 'clients.json')),
    partnerEndpoints: read.map('PARTNER_ENDPOINTS'),
    schemasDir: read.string('SCHEMAS_DIR', path.join(repoRoot, 'schemas')),
    dataKeys,
    messageLog: messageLogOptions(dataKeys),
    operators: readOperatorsOptions(read),
    inventoryCertificates: [
      { source: 'key-ring', file: read.string('SIGNING_CERT_FILE', path.join(pkiDir, 'leaf', 'gateway-rsa.chain.crt')) },
      ...read.list('TRUST_CA_FILES', [path.join(pkiDir, 'ca', 'trust-bundle.crt')]).map((file) => ({ source: 'trust-store', file })),
      { source: 'tls-server', file: serverCert },
      { source: 'tls-client-ca', file: read.string('GATEWAY_TLS_CLIENT_CA_FILE', path.join(pkiDir, 'ca', 'trust-bundle.crt')) },
    ],
    replayJobs: readReplayJobOptions(read, instanceId),
    operationalRecords: readOperationalMonitoringOptions(read, 'gateway', instanceId),
  };
  read.done();
  return config;
}
