import { ensureTestKafka, logLines, stopAllApps, stopTestKafka } from '@korpu/testing';
import { closeHttpsAgents, httpsRequest } from '../support/https-client';
import { Stack, api, startStack, waitFor } from '../support/stack';

/**
 * Kubernetes probes on every app: `/health` (liveness) answers while the process serves, whatever its
 * dependencies do; `/ready` (readiness) follows the broker — it turns 503 when Kafka stops and 200 again once
 * Kafka is back and the consumer groups are assigned again.
 */
describe('health and readiness', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ partnerEndpoint: true, simulators: ['tax-service', 'ministry-subsystem'] });
  });

  afterAll(async () => {
    // Whatever happened, the broker runs again for the tests after this one.
    await ensureTestKafka();
    await stack?.stop();
    await stopAllApps();
    closeHttpsAgents();
  });

  type Probe = (path: string) => Promise<{ status: number; body: { status?: string; checks: Record<string, string> }; text: string }>;
  const probes = (): Record<'dispatcher' | 'partnerEndpoint' | 'gateway', Probe> => ({
    dispatcher: async (path: string) => {
      const response = await fetch(`${stack.dispatcherUrls.get(stack.dispatchers[0])}${path}`, { signal: AbortSignal.timeout(10000) });
      const text = await response.text();
      return { status: response.status, body: path === '/metrics' ? { checks: {} } : JSON.parse(text), text };
    },
    partnerEndpoint: async (path: string) => {
      const response = await fetch(`${stack.partnerEndpointUrl}${path}`, { signal: AbortSignal.timeout(10000) });
      const text = await response.text();
      return { status: response.status, body: path === '/metrics' ? { checks: {} } : JSON.parse(text), text };
    },
    gateway: async (path: string) => {
      const answer = await httpsRequest(`${stack.adminUrl}${path}`, { timeoutMs: 10000 });
      return { status: answer.status, body: path === '/metrics' ? { checks: {} } : answer.body, text: answer.text };
    },
  });

  it('each app is live and ready, with its checks named, and publishes korpu_ready and the process metrics', async () => {
    for (const [app, probe] of Object.entries(probes())) {
      const health = await probe('/health');
      expect({ app, status: health.status, body: health.body }).toEqual({ app, status: 200, body: { status: 'up' } });
      const ready = await probe('/ready');
      expect({ app, status: ready.status }).toEqual({ app, status: 200 });
      expect(ready.body.checks).toMatchObject({ kafka: 'up', 'kafka-consumers': 'up', database: 'up' });
      const metrics = (await probe('/metrics')).text;
      expect(metrics).toMatch(/^korpu_ready\{check="all"\} 1$/m);
      expect(metrics).toMatch(/^process_cpu_seconds_total /m);
      expect(metrics).toMatch(/^nodejs_eventloop_lag_seconds /m);
    }
    const { dispatcher, partnerEndpoint } = probes();
    expect((await dispatcher('/ready')).body.checks['trust-material']).toBe('up');
    expect((await partnerEndpoint('/ready')).body.checks['trust-material']).toBe('up');
  });

  it('turns /ready false when Kafka stops and true again when it returns, while /health stays up', async () => {
    // Traffic first, so the lines below can show the log context of a message.
    const sent = await api(stack, 'POST', '/v1/exchange', { service: 'tax-service/GetTaxpayer', payload: { voen: '1400057421' } });
    expect(sent.status).toBe(200);
    await stopTestKafka();
    try {
      for (const [app, probe] of Object.entries(probes())) {
        const down = await waitFor(`${app} not ready`, async () => {
          const ready = await probe('/ready');
          return ready.status === 503 ? ready : undefined;
        }, 60000);
        expect(down.body.status).toBe('not-ready');
        expect(down.body.checks.kafka).toMatch(/^down: /);
        expect(down.body.checks.database).toBe('up');
        expect((await probe('/health')).status).toBe(200);
      }
    } finally {
      await ensureTestKafka();
    }
    for (const [app, probe] of Object.entries(probes())) {
      const up = await waitFor(`${app} ready again`, async () => {
        const ready = await probe('/ready');
        return ready.status === 200 ? ready : undefined;
      }, 120000);
      expect(up.body.checks).toMatchObject({ kafka: 'up', 'kafka-consumers': 'up' });
    }
    // And it works again end to end.
    const again = await api(stack, 'POST', '/v1/exchange', { service: 'tax-service/GetTaxpayer', payload: { voen: '1400057421' } });
    expect(again.status).toBe(200);
  });

  it('logs JSON lines with level, time, app and context; the message id and correlation id on lines about a message', async () => {
    for (const app of [stack.dispatchers[0], stack.gateway, stack.partnerEndpoint!]) {
      // Node's own warnings (stderr, `(node:pid) ...`) are not the app's log.
      const lines = logLines(app.output()).filter((line) => !/^\(node:\d+\)|^\(Use `node --trace/.test(String(line.msg)) && !/^Timeout duration/.test(String(line.msg)));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.filter((line) => typeof line.level !== 'string' || typeof line.time !== 'string' || typeof line.app !== 'string')).toEqual([]);
      expect(lines.some((line) => String(line.msg).includes('listening on'))).toBe(true);
    }
    // The broker outage made the dispatcher's Kafka client log errors: JSON too, at error or warn.
    const dispatcher = logLines(stack.dispatchers[0].output());
    expect(dispatcher.some((line) => (line.level === 'error' || line.level === 'warn') && String(line.context).startsWith('kafka'))).toBe(true);
    // A reply the partner gets wrong is dead-lettered at once, and the dispatcher's line about it names the message.
    await fetch(`${stack.taxServiceUrl}/_sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'invalid-schema', count: 1 }) });
    const submitted = await api(stack, 'POST', '/v1/messages', { service: 'tax-service/GetTaxpayer', payload: { voen: '2900000012' } });
    expect(submitted.status).toBe(202);
    const messageId = submitted.body.messageId as string;
    const line = await waitFor('the dispatcher line about the dead-lettered message', async () =>
      logLines(stack.dispatchers[0].output()).find((candidate) => candidate.messageId === messageId && candidate.level === 'warn'),
    );
    expect(line).toMatchObject({ app: 'dispatcher', context: 'DeliverMessageUseCase', messageId });
    expect(line.correlationId).toBe(submitted.body.correlationId);
  });
});
