import { stopAllApps } from '@korpu/testing';
import { copyContracts, simulator } from '../support/contracts';
import { Stack, api, startStack, waitFor } from '../support/stack';

/**
 * A slow partner must not slow the others: the dispatcher gives each partner its own consumer group and its own
 * concurrency budget. Here the dispatcher may handle two partitions at once per partner (DISPATCHER_CONCURRENCY=2)
 * and the tax service hangs on every call: with one budget shared by all partners (as before), its messages would
 * hold both slots and the population registry's messages would wait until a tax attempt gave up. Asserted as an
 * order of events, not a duration: every registry message is replied while no tax attempt has ended yet.
 */
let stack: Stack;
let contracts: ReturnType<typeof copyContracts>;

beforeAll(async () => {
  contracts = copyContracts();
  contracts.edit('tax-service/partner.json', (partner) => {
    partner.timeoutMs = 30000;
  });
  stack = await startStack({
    simulators: ['tax-service', 'population-registry'],
    contractsDir: contracts.dir,
    env: { DISPATCHER_CONCURRENCY: '2' },
  });
});

afterAll(async () => {
  await simulator(stack.taxServiceUrl, '/_sim/faults', { mode: 'none' }).catch(() => undefined);
  await stack?.stop();
  await stopAllApps();
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
});
