import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { createEnvelope, EnvelopeCodec, EnvelopeHeader, newMessageId } from '@korpu/envelope';
import { DeadLetterHeader } from '@korpu/failed-messages';
import { TopicNames } from '@korpu/messaging';
import { stopAllApps, testKafkaSasl } from '@korpu/testing';
import { copyContracts, simulator } from '../support/contracts';
import { Stack, api, startStack, waitFor } from '../support/stack';

/**
 * Hostile partners and records the contracts do not describe: a partner that trickles its answer one byte a
 * second is cut off at its partner.json timeoutMs (a deadline over the whole exchange, not an idle timer); a
 * partner that answers 307 is not followed (the other address receives nothing); a record the contracts do not
 * describe ends in the dead-letter topic with a stable code instead of blocking its partition.
 */
const TIMEOUT_MS = 2000;
let stack: Stack;
let contracts: ReturnType<typeof copyContracts>;
let elsewhere: http.Server;
let elsewhereHits = 0;

beforeAll(async () => {
  contracts = copyContracts();
  for (const partner of ['population-registry', 'tax-service']) {
    contracts.edit(`${partner}/partner.json`, (config) => {
      config.timeoutMs = TIMEOUT_MS;
      config.retry = { ...config.retry, attempts: 1 };
    });
  }
  // An operation partner.json names but the registry's WSDL does not have (a contract error of ours).
  contracts.edit('population-registry/partner.json', (config) => {
    config.operations.GetPersonHistory = { ...config.operations.GetPerson, soapAction: undefined };
  });
  contracts.edit('clients.json', (config) => {
    const pensions = config.clients.find((client: { id: string }) => client.id === 'MLSP/pensions');
    pensions.services.push('population-registry/GetPersonHistory');
  });
  elsewhere = http.createServer((request, response) => {
    elsewhereHits += 1;
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  stack = await startStack({ exchangeTimeoutMs: 8000, simulators: ['population-registry', 'tax-service'], contractsDir: contracts.dir });
});

afterAll(async () => {
  await stack?.stop();
  await stopAllApps();
  await new Promise((resolve) => elsewhere?.close(resolve));
  contracts?.remove();
});

type Partner = 'population-registry' | 'tax-service';
const sim = (name: Partner, path: string, body?: unknown) => simulator(stack.simulatorUrls[name], path, body);

const requests: Record<Partner, (n: number) => { service: string; payload: unknown }> = {
  'population-registry': (n) => ({
    service: 'population-registry/GetPerson',
    payload: `<GetPersonRequest xmlns="urn:korpu:population:person"><Fin>5HS${String(1000 + n)}</Fin></GetPersonRequest>`,
  }),
  'tax-service': (n) => ({ service: 'tax-service/GetTaxpayer', payload: { voen: `18${String(10000000 + n).slice(-7)}1` } }),
};

interface Status {
  status: string;
  history: Array<{ status: string; at: string; detail?: Record<string, unknown> }>;
}

async function statusOf(messageId: string): Promise<Status> {
  return (await api(stack, 'GET', `/v1/messages/${messageId}`)).body as Status;
}

async function failed(messageId: string, timeoutMs = 30000): Promise<Status> {
  return waitFor(
    `the failed status of ${messageId}`,
    async () => {
      const current = await statusOf(messageId);
      if (current.status === 'replied') throw new Error(`${messageId} was delivered`);
      return current.status === 'failed' ? current : undefined;
    },
    timeoutMs,
  );
}

const failureCode = (status: Status) => status.history.find((event) => event.status === 'failed')?.detail?.code;

beforeEach(async () => {
  await sim('population-registry', '/_sim/faults', { mode: 'none' });
  await sim('tax-service', '/_sim/faults', { mode: 'none' });
});

describe('a partner that trickles its answer', () => {
  it.each(['tax-service', 'population-registry'] as const)(
    'is cut off at its timeoutMs with PARTNER_TIMEOUT (%s), however steadily the bytes come',
    async (partner) => {
      await sim(partner, '/_sim/faults', { mode: 'trickle', count: 1 });
      const submitted = await api(stack, 'POST', '/v1/messages', requests[partner](1));
      expect(submitted.status).toBe(202);
      const status = await failed(submitted.body.messageId, 20000);
      expect(failureCode(status)).toBe('PARTNER_TIMEOUT');
      const dispatched = Date.parse(status.history.find((event) => event.status === 'dispatched')!.at);
      const ended = Date.parse(status.history.find((event) => event.status === 'failed')!.at);
      expect(ended - dispatched).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
      expect(ended - dispatched).toBeLessThan(TIMEOUT_MS + 1500);
      // The slot is free again: the next message is answered.
      const next = await api(stack, 'POST', '/v1/exchange', requests[partner](2));
      expect(next.status).toBe(200);
    },
  );
});

describe('a partner that redirects', () => {
  it.each(['tax-service', 'population-registry'] as const)(
    'is not followed (%s): the other address receives nothing and the message fails with PARTNER_REDIRECTED, at once',
    async (partner) => {
      const location = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/v1/taxpayers/lookup`;
      await sim(partner, '/_sim/faults', { mode: 'redirect', location, count: 1 });
      const hitsBefore = elsewhereHits;
      const submitted = await api(stack, 'POST', '/v1/messages', requests[partner](3));
      expect(submitted.status).toBe(202);
      const status = await failed(submitted.body.messageId);
      expect(failureCode(status)).toBe('PARTNER_REDIRECTED');
      expect(status.history.find((event) => event.status === 'failed')?.detail).toMatchObject({ attempt: 1 });
      expect(elsewhereHits).toBe(hitsBefore);
    },
  );
});

describe('a record the contracts do not describe', () => {
  const topics = () => new TopicNames(stack.env.KAFKA_TOPIC_PREFIX);
  const record = (service: { partner: string; operation: string }, messageType: string, payload: string) =>
    EnvelopeCodec.encode(
      createEnvelope({
        messageId: newMessageId(),
        client: 'MLSP/pensions',
        service,
        messageType,
        schemaVersion: '1',
        contentType: service.partner === 'population-registry' ? 'application/xml' : 'application/json',
        payload,
      }),
    );
  const taxpayer = JSON.stringify({ voen: '1800000991' });
  const person = '<GetPersonRequest xmlns="urn:korpu:population:person"><Fin>5HS9999</Fin></GetPersonRequest>';

  it.each([
    ['a partner no contract names', 'tax-service', { partner: 'no-such-partner', operation: 'GetTaxpayer' }, 'taxpayer-lookup-request', taxpayer, 'SERVICE_UNKNOWN'],
    ['an operation its partner does not offer', 'tax-service', { partner: 'tax-service', operation: 'DeleteTaxpayer' }, 'taxpayer-lookup-request', taxpayer, 'SERVICE_UNKNOWN'],
    ['a message type that is not the operation\'s', 'tax-service', { partner: 'tax-service', operation: 'GetTaxpayer' }, 'person-lookup-request', taxpayer, 'MESSAGE_TYPE_MISMATCH'],
    ['a service of another partner than its topic\'s', 'tax-service', { partner: 'population-registry', operation: 'GetPerson' }, 'person-lookup-request', person, 'RECORD_TOPIC_MISMATCH'],
  ] as const)('is dead-lettered when it names %s, with a stable code, and never reaches a partner', async (_what, topicPartner, service, messageType, payload, code) => {
    const kafka = new Kafka({ clientId: 'outbound-hostile-e2e', brokers: stack.env.KAFKA_BROKERS.split(','), sasl: testKafkaSasl('admin'), logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId: `outbound-hostile-e2e-${newMessageId()}` });
    const sent = record(service, messageType, payload);
    const seen: Array<{ id?: string; headers: Record<string, string> }> = [];
    const before = { tax: await sim('tax-service', '/_sim/stats'), registry: await sim('population-registry', '/_sim/stats') };
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: topics().deadLetter, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]));
          seen.push({ id: headers[EnvelopeHeader.MESSAGE_ID], headers });
        },
      });
      await producer.connect();
      await producer.send({ topic: topics().outbound(topicPartner), messages: [sent] });
      const dead = await waitFor('the dead-lettered record', async () => seen.find((entry) => entry.id === sent.headers[EnvelopeHeader.MESSAGE_ID]), 30000);
      expect(dead.headers[DeadLetterHeader.ERROR_CODE]).toBe(code);
      expect(dead.headers[DeadLetterHeader.ORIGINAL_TOPIC]).toBe(topics().outbound(topicPartner));
    } finally {
      await producer.disconnect();
      await consumer.disconnect();
    }
    // The partition goes on: a good message behind it is delivered.
    const next = await api(stack, 'POST', '/v1/exchange', requests['tax-service'](4));
    expect(next.status).toBe(200);
    expect((await sim('population-registry', '/_sim/stats')).received).toBe(before.registry.received);
    expect((await sim('tax-service', '/_sim/stats')).received).toBe(before.tax.received + 1);
  });

  it('is dead-lettered with CONTRACT_INVALID when partner.json names an operation its WSDL lacks, not redelivered forever', async () => {
    const submitted = await api(stack, 'POST', '/v1/messages', { ...requests['population-registry'](5), service: 'population-registry/GetPersonHistory' });
    expect(submitted.status).toBe(202);
    const status = await failed(submitted.body.messageId);
    expect(failureCode(status)).toBe('CONTRACT_INVALID');
  });
});
