import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppProcess, createTestDatabase, freePort, httpReady, httpsReady, kafkaCredentialsEnv, provisionTestKafka, repoRoot, startApp } from '@korpu/testing';
import { ensureDevDataKeys } from '@korpu/crypto-at-rest';
import type { KafkaTls } from '@korpu/messaging';
import { ensureDevPki } from '../../certs-dev/dev-pki';
import { DevSubsystem, httpsRequest, Identity } from './https-client';
import { RoundRobinProxy, startRoundRobinProxy } from './round-robin-proxy';

/** Simulators a stack can start (apps/simulators), each on a free port of its own. */
export type SimulatorName = 'tax-service' | 'population-registry' | 'ministry-subsystem' | 'egov-portal';

const SIMULATOR_PORT_ENV: Record<SimulatorName, string> = {
  'tax-service': 'TAX_SERVICE_PORT',
  'population-registry': 'POPULATION_REGISTRY_PORT',
  'ministry-subsystem': 'MINISTRY_SUBSYSTEM_PORT',
  'egov-portal': 'EGOV_PORTAL_PORT',
};

/** The variable that switches a simulator to HTTPS (apps/simulators: off | optional | required). */
const SIMULATOR_TLS_ENV: Record<SimulatorName, string> = {
  'tax-service': 'TAX_SERVICE_TLS',
  'population-registry': 'POPULATION_REGISTRY_TLS',
  'ministry-subsystem': 'MINISTRY_SUBSYSTEM_TLS',
  'egov-portal': 'EGOV_PORTAL_TLS',
};

/** Where each partner simulator takes requests (its partner.json URL is replaced by this). */
const SIMULATOR_ENDPOINT_PATH: Partial<Record<SimulatorName, string>> = { 'tax-service': '', 'population-registry': '/soap' };

export interface Stack {
  /** The internal API (HTTPS, subsystems authenticate with their TLS client certificate). */
  gatewayUrl: string;
  /** The gateway's admin API and console (HTTPS, no client certificate; operator bearer tokens). */
  adminUrl: string;
  taxServiceUrl: string;
  databaseUrl: string;
  env: Record<string, string>;
  /** The first gateway (gateways[0]). */
  gateway: AppProcess;
  /** Every gateway instance, each on ports of its own (gatewayUrls[i], adminUrls[i]). */
  gateways: AppProcess[];
  gatewayUrls: string[];
  adminUrls: string[];
  /** Starts gateway i (again, after it was stopped or killed) on its ports, as a new instance. */
  startGateway: (index: number) => Promise<AppProcess>;
  dispatchers: AppProcess[];
  simulators: AppProcess;
  /** Base URL of each simulator started (e.g. `population-registry` → http://127.0.0.1:port). */
  simulatorUrls: Partial<Record<SimulatorName, string>>;
  /** The partner-endpoint app (inbound), when `partnerEndpoint` was asked for: the first instance. */
  partnerEndpoint?: AppProcess;
  /** Where the portal simulator calls: the one instance, or a round-robin balancer over all of them. */
  partnerEndpointUrl?: string;
  partnerEndpoints: AppProcess[];
  /** Each partner-endpoint instance's own URL. */
  partnerEndpointUrls: string[];
  /** Where each dispatcher answers /health, /ready and /metrics. */
  dispatcherUrls: Map<AppProcess, string>;
  /** Starts one more dispatcher in the same consumer group. */
  addDispatcher: () => Promise<AppProcess>;
  stop: () => Promise<void>;
}

export interface StackOptions {
  dispatchers?: number;
  exchangeTimeoutMs?: number;
  /** Extra environment for every app. */
  env?: Record<string, string>;
  /** Which simulators to start (default: the tax service only). */
  simulators?: SimulatorName[];
  /** Also start the partner-endpoint app (the ministry's SOAP/REST services), with the subsystem callbacks. */
  partnerEndpoint?: boolean;
  /** Partner reply wait of the partner endpoint (default 8000 ms). */
  inboundReplyTimeoutMs?: number;
  /** A contracts folder of the test's own (CONTRACTS_DIR for every app and simulator). */
  contractsDir?: string;
  /** More partners (id → simulator) whose endpoint URL is a simulator's, e.g. an onboarded copy. */
  extraPartners?: Record<string, SimulatorName>;
  /** Simulators that serve HTTPS (server certificate tls/localhost): `required` refuses callers without a client certificate. Their URLs are https://. */
  simulatorTls?: Partial<Record<SimulatorName, 'optional' | 'required'>>;
  /** Extra environment for the simulators process. */
  simulatorEnv?: Record<string, string>;
  /** PARTNER_ENDPOINT_TLS of the partner endpoint: it then serves HTTPS (tls/localhost) and asks for client certificates. */
  partnerEndpointTls?: 'optional' | 'required';
  /** How many gateway instances (default 1), each on ports of its own, sharing the database and topics. */
  gateways?: number;
  /** How many partner-endpoint instances when `partnerEndpoint` is set (default 1; more sit behind a round-robin balancer). */
  partnerEndpoints?: number;
  /**
   * Another Kafka than the single test broker, e.g. the three-node test cluster: its bootstrap list, and
   * `production` for KAFKA_PROFILE=production (topics with replication factor 3 and min.insync.replicas 2), and `tls`
   * when its client listener is SASL_SSL (kafka.sh KAFKA_TLS=1): the apps then get KAFKA_SSL=true and these files. A
   * production profile without `tls` is the loopback test cluster: the apps get KAFKA_ALLOW_PLAINTEXT=true.
   */
  kafka?: { brokers: string; profile?: 'production'; tls?: { caFile: string; certFile?: string; keyFile?: string } };
}

/** The apps' KAFKA_SSL_* variables for a SASL_SSL broker; KAFKA_ALLOW_PLAINTEXT for the production profile on loopback. */
function kafkaTlsEnv(kafka: StackOptions['kafka']): Record<string, string> {
  const tls = kafka?.tls;
  if (!tls) return kafka?.profile === 'production' ? { KAFKA_ALLOW_PLAINTEXT: 'true' } : {};
  return {
    KAFKA_SSL: 'true',
    KAFKA_SSL_CA_FILE: tls.caFile,
    ...(tls.certFile && tls.keyFile ? { KAFKA_SSL_CERT_FILE: tls.certFile, KAFKA_SSL_KEY_FILE: tls.keyFile } : {}),
  };
}

/** The same files as TLS options of the provisioning client (made inside the test, not read from the environment). */
function kafkaTls(tls: NonNullable<StackOptions['kafka']>['tls']): KafkaTls | undefined {
  if (!tls) return undefined;
  return {
    ca: fs.readFileSync(tls.caFile, 'utf8'),
    ...(tls.certFile && tls.keyFile ? { cert: fs.readFileSync(tls.certFile, 'utf8'), key: fs.readFileSync(tls.keyFile, 'utf8') } : {}),
  };
}

/** Ready when GET url answers 200 over HTTPS, trusting the CA in caFile (no client certificate). */
export { httpsReady } from '@korpu/testing';

/**
 * Starts simulators, dispatcher(s) and gateway as separate processes against the test Kafka broker and a
 * fresh database of their own, with unique consumer groups and instance ids so stacks never share state.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const brokers = options.kafka?.brokers ?? process.env.KAFKA_BROKERS;
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (!brokers || !baseUrl) throw new Error('Run e2e tests through Jest (its global set-up starts Kafka and PostgreSQL)');
  const database = await createTestDatabase(baseUrl);
  // The apps and simulators sign and verify with the development PKI (regenerated only when stale).
  const pki = await ensureDevPki(path.join(repoRoot, 'certs-dev/out'));
  const simulatorNames = options.simulators ?? ['tax-service'];
  const gatewayCount = options.gateways ?? 1;
  const partnerEndpointCount = options.partnerEndpoint ? (options.partnerEndpoints ?? 1) : 0;
  const ports = () => Promise.all([freePort(), freePort()]);
  const gatewayPorts = await Promise.all(Array.from({ length: gatewayCount }, ports));
  const partnerEndpointPorts = await Promise.all(Array.from({ length: Math.max(partnerEndpointCount, 1) }, () => freePort()));
  const [partnerEndpointPort, ...simulatorPorts] = await Promise.all([freePort(), ...simulatorNames.map(() => freePort())]);
  const simulatorUrls: Partial<Record<SimulatorName, string>> = {};
  const simulatorEnv: Record<string, string> = { SIMULATORS: simulatorNames.join(',') };
  simulatorNames.forEach((name, i) => {
    const tls = options.simulatorTls?.[name];
    simulatorUrls[name] = `${tls ? 'https' : 'http'}://127.0.0.1:${simulatorPorts[i]}`;
    simulatorEnv[SIMULATOR_PORT_ENV[name]] = String(simulatorPorts[i]);
    if (tls) simulatorEnv[SIMULATOR_TLS_ENV[name]] = tls;
  });
  const taxServicePort = simulatorUrls['tax-service'] ? Number(new URL(simulatorUrls['tax-service']).port) : await freePort();
  const partnerEndpoints = Object.entries({ ...Object.fromEntries(simulatorNames.map((n) => [n, n])), ...options.extraPartners })
    .filter(([, simulator]) => SIMULATOR_ENDPOINT_PATH[simulator as SimulatorName] !== undefined && simulatorUrls[simulator as SimulatorName])
    .map(([partner, simulator]) => `${partner}=${simulatorUrls[simulator as SimulatorName]}${SIMULATOR_ENDPOINT_PATH[simulator as SimulatorName]}`);
  const suffix = `${process.pid}-${Date.now()}`;
  const env: Record<string, string> = {
    KAFKA_BROKERS: brokers,
    DATABASE_URL: database.url,
    PARTNER_ENDPOINTS: partnerEndpoints.length ? partnerEndpoints.join(',') : `tax-service=http://127.0.0.1:${taxServicePort}`,
    DISPATCHER_GROUP_ID: `korpu-dispatcher-${suffix}`,
    KAFKA_TOPIC_PREFIX: `e2e-${suffix}`,
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    ...(options.kafka?.profile ? { KAFKA_PROFILE: options.kafka.profile } : {}),
    ...kafkaTlsEnv(options.kafka),
    // Personal data encrypted at rest as in production: development keys generated once into .local/.
    ...ensureDevDataKeys(path.join(repoRoot, '.local')),
    ...(options.contractsDir ? { CONTRACTS_DIR: options.contractsDir } : {}),
    ...options.env,
  };
  // The stack's topic prefix gets every app role's ACLs (and the fixed topics); each app connects as its own principal.
  const production = options.kafka?.profile === 'production';
  await provisionTestKafka(env.KAFKA_TOPIC_PREFIX, brokers, production ? { replicationFactor: 3, minInsyncReplicas: 2 } : undefined, kafkaTls(options.kafka?.tls));
  const scheme = options.partnerEndpointTls ? 'https' : 'http';
  // One instance listens where the portal calls; several sit behind a balancer there.
  const instancePorts = partnerEndpointCount > 1 ? partnerEndpointPorts : [partnerEndpointPort];
  const proxies: RoundRobinProxy[] = [];
  if (partnerEndpointCount > 1) proxies.push(await startRoundRobinProxy(instancePorts, partnerEndpointPort));
  const partnerEndpointUrl = `${scheme}://127.0.0.1:${partnerEndpointPort}`;
  const simulators = await startApp(
    'simulators',
    'apps/simulators/src/main.ts',
    {
      ...simulatorEnv,
      ...(options.contractsDir ? { CONTRACTS_DIR: options.contractsDir } : {}),
      PARTNER_ENDPOINT_URL: partnerEndpointUrl,
      ...options.simulatorEnv,
    },
    (out) => simulatorNames.every((name) => out.includes(`simulator ${name} listening`)),
  );
  let dispatcherCount = 0;
  const addDispatcher = async () => {
    const port = await freePort();
    dispatcherCount += 1;
    const dispatcher = await startApp(
      `dispatcher-${dispatcherCount}`,
      'apps/dispatcher/src/main.ts',
      { ...kafkaCredentialsEnv('dispatcher'), ...env, DISPATCHER_PORT: String(port), INSTANCE_ID: `dispatcher-${dispatcherCount}-${suffix}` },
      httpReady(`http://127.0.0.1:${port}/ready`),
    );
    stack.dispatchers.push(dispatcher);
    stack.dispatcherUrls.set(dispatcher, `http://127.0.0.1:${port}`);
    return dispatcher;
  };
  const startGateway = async (index: number) => {
    const [gatewayPort, adminPort] = gatewayPorts[index];
    const gateway = await startApp(
      gatewayCount > 1 ? `gateway-${index + 1}` : 'gateway',
      'apps/gateway/src/main.ts',
      {
        ...kafkaCredentialsEnv('gateway'),
        // The test stacks' default body limit; a stack's own env may raise it (the bench's 100 KB submit does).
        MAX_BODY_BYTES: '65536',
        ...env,
        GATEWAY_PORT: String(gatewayPort),
        ADMIN_PORT: String(adminPort),
        INSTANCE_ID: `gateway-${index + 1}-${suffix}-${Date.now()}`,
        EXCHANGE_TIMEOUT_MS: String(options.exchangeTimeoutMs ?? 15000),
      },
      httpsReady(`https://127.0.0.1:${gatewayPort}/ready`, pki.trustBundle),
    );
    stack.gateways[index] = gateway;
    if (index === 0) stack.gateway = gateway;
    return gateway;
  };
  const startPartnerEndpoint = async (index: number) => {
    const subsystem = simulatorUrls['ministry-subsystem'];
    const url = `${scheme}://127.0.0.1:${instancePorts[index]}`;
    const partnerEndpoint = await startApp(
      partnerEndpointCount > 1 ? `partner-endpoint-${index + 1}` : 'partner-endpoint',
      'apps/partner-endpoint/src/main.ts',
      {
        ...kafkaCredentialsEnv('partner-endpoint'),
        ...env,
        PARTNER_ENDPOINT_PORT: String(instancePorts[index]),
        INSTANCE_ID: `partner-endpoint-${index + 1}-${suffix}`,
        INBOUND_REPLY_TIMEOUT_MS: String(options.inboundReplyTimeoutMs ?? 8000),
        ...(subsystem ? { SUBSYSTEM_CALLBACKS: `pensions=${subsystem}/callbacks/pensions,disability=${subsystem}/callbacks/disability` } : {}),
        ...(options.partnerEndpointTls ? { PARTNER_ENDPOINT_TLS: options.partnerEndpointTls } : {}),
      },
      options.partnerEndpointTls ? httpsReady(`${url}/ready`, pki.trustBundle) : httpReady(`${url}/ready`),
    );
    stack.partnerEndpoints[index] = partnerEndpoint;
    stack.partnerEndpointUrls[index] = url;
    if (index === 0) stack.partnerEndpoint = partnerEndpoint;
    return partnerEndpoint;
  };
  const stack: Stack = {
    gatewayUrl: `https://127.0.0.1:${gatewayPorts[0][0]}`,
    adminUrl: `https://127.0.0.1:${gatewayPorts[0][1]}`,
    gatewayUrls: gatewayPorts.map(([port]) => `https://127.0.0.1:${port}`),
    adminUrls: gatewayPorts.map(([, port]) => `https://127.0.0.1:${port}`),
    gateways: [],
    startGateway,
    partnerEndpoints: [],
    partnerEndpointUrls: [],
    taxServiceUrl: simulatorUrls['tax-service'] ?? `http://127.0.0.1:${taxServicePort}`,
    databaseUrl: database.url,
    env,
    simulators,
    simulatorUrls,
    dispatchers: [],
    dispatcherUrls: new Map(),
    gateway: undefined as unknown as AppProcess,
    addDispatcher,
    stop: async () => {
      await Promise.all([
        ...stack.gateways.map((g) => g.stop()),
        ...stack.partnerEndpoints.map((p) => p.stop()),
        ...stack.dispatchers.map((d) => d.stop()),
        simulators.stop(),
        ...proxies.map((proxy) => proxy.close()),
      ]);
      await database.drop();
    },
  };
  for (let i = 0; i < (options.dispatchers ?? 1); i++) await addDispatcher();
  for (let i = 0; i < gatewayCount; i++) await startGateway(i);
  for (let i = 0; i < partnerEndpointCount; i++) await startPartnerEndpoint(i);
  if (partnerEndpointCount > 0) stack.partnerEndpointUrl = partnerEndpointUrl;
  return stack;
}

const ADMIN_PATHS = ['/v1/admin', '/console'];
const DEV_SUBSYSTEMS: DevSubsystem[] = ['pensions', 'benefits', 'disability'];

/**
 * Calls the stack's gateway: admin paths (`/v1/admin`, `/console`) on its admin listener without a client
 * certificate, every other path on the internal API with a subsystem's TLS client certificate — by default the
 * one of the subsystem the `x-road-client` header names (`MLSP/<name>`), else MLSP/pensions; `identity` chooses
 * another (null: none).
 */
export async function api(
  stack: Stack,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { 'x-road-client': 'MLSP/pensions' },
  identity?: Identity,
): Promise<{ status: number; headers: Headers; body: any }> {
  const admin = ADMIN_PATHS.some((prefix) => path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`));
  const named = /^MLSP\/([a-z]+)$/.exec(headers['x-road-client'] ?? '')?.[1] as DevSubsystem | undefined;
  const who: Identity = identity !== undefined ? identity : admin ? null : named && DEV_SUBSYSTEMS.includes(named) ? named : 'pensions';
  const answer = await httpsRequest(`${admin ? stack.adminUrl : stack.gatewayUrl}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    identity: who,
  });
  return { status: answer.status, headers: answer.headers, body: answer.body };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
