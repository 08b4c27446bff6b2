import * as fs from 'node:fs';
import * as path from 'node:path';
import { stopAllApps } from '@korpu/testing';
import { copyContracts, simulator } from '../support/contracts';
import { Stack, api, startStack } from '../support/stack';

/**
 * Onboarding a partner is configuration only: a new contracts/<partner>/ folder (partner.json + its WSDL) and
 * the subsystem's right in clients.json. Here the new partner is a copy of the population registry under
 * another id, served by the population registry simulator; no code changes.
 */
let stack: Stack;
let contracts: ReturnType<typeof copyContracts>;

beforeAll(async () => {
  contracts = copyContracts();
  const folder = path.join(contracts.dir, 'civil-registry');
  fs.cpSync(path.join(contracts.dir, 'population-registry'), folder, { recursive: true });
  contracts.edit('civil-registry/partner.json', (partner) => {
    partner.id = 'civil-registry';
    partner.name = 'Civil status registry (onboarded in a test)';
    partner.xroadService = 'AZ/GOV/1400000009/civil-registry';
  });
  contracts.edit('clients.json', (clients) => {
    clients.clients.find((client: { id: string }) => client.id === 'MLSP/pensions').services.push('civil-registry/GetPerson');
  });
  stack = await startStack({
    exchangeTimeoutMs: 8000,
    simulators: ['population-registry'],
    contractsDir: contracts.dir,
    extraPartners: { 'civil-registry': 'population-registry' },
  });
});

afterAll(async () => {
  await stack?.stop();
  await stopAllApps();
  contracts?.remove();
});

describe('onboarding a SOAP partner from its contract folder alone', () => {
  it('exchanges signed SOAP messages with the new partner', async () => {
    const before = await simulator(stack.simulatorUrls['population-registry'], '/_sim/stats');
    const response = await api(stack, 'POST', '/v1/exchange', {
      service: 'civil-registry/GetPerson',
      payload: '<GetPersonRequest xmlns="urn:korpu:population:person"><Fin>7XYZ123</Fin></GetPersonRequest>',
    });
    expect(response.status).toBe(200);
    expect(response.body.messageType).toBe('person-lookup-reply');
    expect(response.body.payload).toContain('<Fin>7XYZ123</Fin>');
    expect((await simulator(stack.simulatorUrls['population-registry'], '/_sim/stats')).received).toBe(before.received + 1);
  });

  it('still refuses the new service to a subsystem that was not granted it', async () => {
    const response = await api(
      stack,
      'POST',
      '/v1/exchange',
      { service: 'civil-registry/GetPerson', payload: '<GetPersonRequest xmlns="urn:korpu:population:person"><Fin>7XYZ123</Fin></GetPersonRequest>' },
      { 'x-road-client': 'MLSP/benefits' },
    );
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('ACCESS_DENIED');
  });
});
