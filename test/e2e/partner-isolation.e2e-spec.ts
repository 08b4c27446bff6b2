import { logText, stopAllApps } from '@korpu/testing';
import { copyContracts, simulator } from '../support/contracts';
import { closeHttpsAgents, httpsRequest } from '../support/https-client';
import { Stack, api, startStack, waitFor } from '../support/stack';

/**
 * A slow partner must not slow the others: the dispatcher gives each partner its own consumer group and its own
 * concurrency budget. Here the dispatcher may handle two partitions at once per partner (DISPATCHER_CONCURRENCY=2)
 * and the tax service hangs on every call: with one budget shared by all partners (as before), its messages would
 * hold both slots and the population registry's messages would wait until a tax attempt gave up. Asserted as an
 * order of events, not a duration: every registry message is replied while no tax attempt has ended yet.
 * At the gateway, each partner has its own budget of synchronous exchanges waiting for a reply
 * (`maxWaitingExchanges`, 3 for the tax service here) and each client its share of it (2): past either an exchange is
 * refused at once; the other partner's exchanges go on, and another client gets what one client's share left.
 */
let stack: Stack;
let contracts: ReturnType<typeof copyContracts>;

beforeAll(async () => {
  contracts = copyContracts();
  contracts.edit('tax-service/partner.json', (partner) => {
    partner.timeoutMs = 30000;
    partner.maxWaitingExchanges = 3;
    partner.maxWaitingExchangesPerClient = 2;
  });
  stack = await startStack({
    exchangeTimeoutMs: 6000,
    simulators: ['tax-service', 'population-registry'],
    contractsDir: contracts.dir,
    env: { DISPATCHER_CONCURRENCY: '2' },
  });
});

afterAll(async () => {
  await simulator(stack.taxServiceUrl, '/_sim/faults', { mode: 'none' }).catch(() => undefined);
  await stack?.stop();
  await stopAllApps();
  closeHttpsAgents();
  contracts?.remove();
});

const status = async (messageId: string): Promise<string> => (await api(stack, 'GET', `/v1/messages/${messageId}`)).body.status as string;

describe('partner isolation in the dispatcher', () => {
  it('delivers to a healthy partner while another partner holds every one of its own slots', async () => {
    await simulator(stack.taxServiceUrl, '/_sim/faults', { mode: 'latency', latencyMs: 25000, count: 1000 });
    const taxIds: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      const response = await api(stack, 'POST', '/v1/messages', {
        service: 'tax-service/GetTaxpayer',
        correlationId: `isolation-tax-${i}`,
        payload: { voen: `1${String(i).padStart(8, '0')}2` },
      });
      expect(response.status).toBe(202);
      taxIds.push(response.body.messageId as string);
    }
    // The tax service now holds the dispatcher's tax work (its calls hang for 25 s; kafkajs fetches no more of a
    // topic until the batches of its last fetch are done, so one hanging call holds the rest of the tax messages).
    await waitFor('a tax message dispatched', async () => ((await Promise.all(taxIds.map(status))).includes('dispatched') ? true : undefined));

    const registryIds: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const response = await api(stack, 'POST', '/v1/messages', {
        service: 'population-registry/GetPerson',
        correlationId: `isolation-registry-${i}`,
        payload: `<GetPersonRequest xmlns="urn:korpu:population:person"><Fin>5ZXK${i}P7</Fin></GetPersonRequest>`,
      });
      expect(response.status).toBe(202);
      registryIds.push(response.body.messageId as string);
    }
    await waitFor('every registry message replied', async () => ((await Promise.all(registryIds.map(status))).every((s) => s === 'replied') ? true : undefined), 20000);
    const taxStatuses = await Promise.all(taxIds.map(status));
    // No tax attempt has ended: the registry did not wait for the tax service.
    expect(taxStatuses.filter((s) => !['accepted', 'dispatched'].includes(s))).toEqual([]);
  });

  it("refuses an exchange past the partner's waiting budget, or its client's share of it, at once with 503 and Retry-After, and leaves the other partner's exchanges alone", async () => {
    // The tax service still hangs (first test): its exchanges wait for a reply until their 6 s deadline.
    await simulator(stack.taxServiceUrl, '/_sim/faults', { mode: 'latency', latencyMs: 25000, count: 1000 });
    const exchange = (i: number, client = 'MLSP/pensions') =>
      api(stack, 'POST', '/v1/exchange', { service: 'tax-service/GetTaxpayer', correlationId: `budget-tax-${i}`, payload: { voen: `2${String(i).padStart(8, '0')}1` } }, { 'x-road-client': client });
    const waiting = [exchange(0), exchange(1)];
    await waitFor('two tax exchanges of the pension subsystem waiting', async () => ((await waitingGauge()) === 2 ? true : undefined), 5000);

    // The pension subsystem has used its share; the benefits subsystem still gets the last place.
    const started = Date.now();
    const overShare = await exchange(2);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(overShare.status).toBe(503);
    expect(overShare.headers.get('retry-after')).toBe('1');
    expect(overShare.headers.get('content-type')).toContain('application/problem+json');
    expect(overShare.body).toMatchObject({ code: 'EXCHANGE_OVERLOADED', partner: 'tax-service', scope: 'client', limit: 2 });
    expect(overShare.body.messageId).toBeUndefined();
    waiting.push(exchange(3, 'MLSP/benefits'));
    await waitFor('three tax exchanges waiting', async () => ((await waitingGauge()) === 3 ? true : undefined), 5000);
    const refused = await exchange(4, 'MLSP/benefits');
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ code: 'EXCHANGE_OVERLOADED', partner: 'tax-service', scope: 'partner', limit: 3 });

    // The registry's budget is its own: its exchange is answered.
    const registry = await api(stack, 'POST', '/v1/exchange', {
      service: 'population-registry/GetPerson',
      payload: '<GetPersonRequest xmlns="urn:korpu:population:person"><Fin>5ZXK9P7</Fin></GetPersonRequest>',
    });
    expect(registry.status).toBe(200);

    const metrics = await gatewayMetrics();
    expect(metrics).toMatch(/^korpu_sync_exchanges_refused_total\{partner="tax-service",scope="partner"\} 1$/m);
    expect(metrics).toMatch(/^korpu_sync_exchanges_refused_total\{partner="tax-service",scope="client"\} 1$/m);
    const log = logText(stack.gateway.output());
    expect(log).toMatch(/EXCHANGE_OVERLOADED: exchange towards tax-service refused, 2 of client MLSP\/pensions waiting for it \(limit 2, client\)/);
    expect(log).toMatch(/EXCHANGE_OVERLOADED: exchange towards tax-service refused, 3 waiting for it \(limit 3, partner\)/);

    // The waiting ones end at their deadline (the exchange goes on in Kafka) and give their places back.
    expect((await Promise.all(waiting)).map((r) => r.status)).toEqual([504, 504, 504]);
    expect(await waitingGauge()).toBe(0);
  });
});

async function gatewayMetrics(): Promise<string> {
  return (await httpsRequest(`${stack.adminUrl}/metrics`)).text;
}

async function waitingGauge(): Promise<number> {
  const match = /^korpu_sync_exchanges_waiting\{partner="tax-service"\} (\d+)$/m.exec(await gatewayMetrics());
  return match ? Number(match[1]) : 0;
}
