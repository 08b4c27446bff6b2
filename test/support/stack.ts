import { AppProcess, freePort, httpReady, startApp } from '@korpu/testing';
import { createTestDatabase } from '../../libs/testing/src/postgres';

export interface Stack {
  gatewayUrl: string;
  taxServiceUrl: string;
  databaseUrl: string;
  env: Record<string, string>;
  gateway: AppProcess;
  dispatchers: AppProcess[];
  simulators: AppProcess;
  /** Starts one more dispatcher in the same consumer group. */
  addDispatcher: () => Promise<AppProcess>;
  stop: () => Promise<void>;
}

export interface StackOptions {
  dispatchers?: number;
  exchangeTimeoutMs?: number;
  /** Extra environment for every app. */
  env?: Record<string, string>;
}

/**
 * Starts simulators, dispatcher(s) and gateway as separate processes against the test Kafka broker and a
 * fresh database of their own, with unique consumer groups and instance ids so stacks never share state.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const brokers = process.env.KAFKA_BROKERS;
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (!brokers || !baseUrl) throw new Error('Run e2e tests through Jest (its global set-up starts Kafka and PostgreSQL)');
  const database = await createTestDatabase(baseUrl);
  const [gatewayPort, taxServicePort] = await Promise.all([freePort(), freePort()]);
  const suffix = `${process.pid}-${Date.now()}`;
  const env: Record<string, string> = {
    KAFKA_BROKERS: brokers,
    DATABASE_URL: database.url,
    PARTNER_ENDPOINTS: `tax-service=http://127.0.0.1:${taxServicePort}`,
    DISPATCHER_GROUP_ID: `korpu-dispatcher-${suffix}`,
    KAFKA_TOPIC_PREFIX: `e2e-${suffix}`,
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    ...options.env,
  };
  const simulators = await startApp('simulators', 'apps/simulators/src/main.ts', { TAX_SERVICE_PORT: String(taxServicePort) }, (out) =>
    out.includes('simulator tax-service listening'),
  );
  let dispatcherCount = 0;
  const addDispatcher = async () => {
    const port = await freePort();
    dispatcherCount += 1;
    const dispatcher = await startApp(
      `dispatcher-${dispatcherCount}`,
      'apps/dispatcher/src/main.ts',
      { ...env, DISPATCHER_PORT: String(port), INSTANCE_ID: `dispatcher-${dispatcherCount}-${suffix}` },
      httpReady(`http://127.0.0.1:${port}/ready`),
    );
    stack.dispatchers.push(dispatcher);
    return dispatcher;
  };
  const stack: Stack = {
    gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
    taxServiceUrl: `http://127.0.0.1:${taxServicePort}`,
    databaseUrl: database.url,
    env,
    simulators,
    dispatchers: [],
    gateway: undefined as unknown as AppProcess,
    addDispatcher,
    stop: async () => {
      await Promise.all([stack.gateway?.stop(), ...stack.dispatchers.map((d) => d.stop()), simulators.stop()]);
      await database.drop();
    },
  };
  for (let i = 0; i < (options.dispatchers ?? 1); i++) await addDispatcher();
  stack.gateway = await startApp(
    'gateway',
    'apps/gateway/src/main.ts',
    {
      ...env,
      GATEWAY_PORT: String(gatewayPort),
      INSTANCE_ID: `gateway-${suffix}`,
      EXCHANGE_TIMEOUT_MS: String(options.exchangeTimeoutMs ?? 15000),
      MAX_BODY_BYTES: '65536',
    },
    httpReady(`http://127.0.0.1:${gatewayPort}/ready`),
  );
  return stack;
}

export async function api(
  stack: Stack,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { 'x-road-client': 'MLSP/pensions' },
): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(`${stack.gatewayUrl}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed };
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
