import { Client } from 'pg';
import { stopAllApps } from '@korpu/testing';
import { copyContracts, simulator } from '../support/contracts';
import { Stack, api, startStack, waitFor } from '../support/stack';

/**
 * Every answer is bound to the party that must give it, and to the request it answers: the partner simulators
 * sign a reply with another trusted party's key, or drop its binding to the request (SOAP xrd:requestHash, REST
 * JWS request hash). Each such reply is refused with a stable code, not retried, logged as refused, and ends as a
 * failed message. And a client whose right is revoked while its messages wait in Kafka never reaches the partner.
 */
const OPERATOR_TOKEN = 'e2e-operator-token';
let stack: Stack;
let contracts: ReturnType<typeof copyContracts>;
let db: Client;

beforeAll(async () => {
  contracts = copyContracts();
  for (const partner of ['population-registry', 'tax-service']) {
    contracts.edit(`${partner}/partner.json`, (config) => {
      config.timeoutMs = 3000;
      config.retry = { ...config.retry, attempts: 100, initialDelayMs: 200, maxDelayMs: 1000, multiplier: 2, jitter: 0.2 };
    });
  }
  stack = await startStack({
    exchangeTimeoutMs: 8000,
    simulators: ['population-registry', 'tax-service'],
    contractsDir: contracts.dir,
    env: { ADMIN_OPERATORS: `${OPERATOR_TOKEN}=aysel.mammadova` },
  });
  db = new Client({ connectionString: stack.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await stack?.stop();
  await stopAllApps();
  contracts?.remove();
});

const admin = (method: string, path: string, body?: unknown) => api(stack, method, path, body, { authorization: `Bearer ${OPERATOR_TOKEN}` });
const sim = (name: 'population-registry' | 'tax-service', path: string, body?: unknown) => simulator(stack.simulatorUrls[name], path, body);

const requests = {
  'population-registry': (n: number) => ({
    service: 'population-registry/GetPerson',
    payload: `<GetPersonRequest xmlns="urn:korpu:population:person"><Fin>5RB${String(1000 + n)}</Fin></GetPersonRequest>`,
  }),
  'tax-service': (n: number) => ({ service: 'tax-service/GetTaxpayer', payload: { voen: `17${String(10000000 + n).slice(-7)}1` } }),
};

interface LogRow {
  event: string;
  direction: string;
  signature_format: string | null;
  signature_verification: string | null;
  signer_certificate: string | null;
  detail: Record<string, unknown> | null;
}

async function logOf(messageId: string): Promise<LogRow[]> {
  const result = await db.query<LogRow>(
    `SELECT event, direction, signature_format, signature_verification, signer_certificate, detail
       FROM message_log WHERE message_id = $1 OR in_reply_to = $1 ORDER BY seq`,
    [messageId],
  );
  return result.rows;
}

async function statusOf(messageId: string, client = 'MLSP/pensions') {
  return (await api(stack, 'GET', `/v1/messages/${messageId}`, undefined, { 'x-road-client': client })).body as {
    status: string;
    history: Array<{ status: string; detail?: Record<string, unknown> }>;
  };
}

async function failedMessage(messageId: string): Promise<Record<string, unknown>> {
  return waitFor(`the failed-message record of ${messageId}`, async () => {
    const response = await admin('GET', `/v1/admin/failed-messages/${messageId}`);
    return response.status === 200 ? response.body : undefined;
  });
}

beforeEach(async () => {
  await sim('population-registry', '/_sim/faults', { mode: 'none' });
  await sim('tax-service', '/_sim/faults', { mode: 'none' });
});

describe('a partner reply is bound to the partner and to our request', () => {
  it.each([
    ['population-registry', 'xmldsig'],
    ['tax-service', 'jws'],
  ] as const)('accepts %s replies signed by its own key and logs our %s request signature on the sent record', async (partner, format) => {
    const response = await api(stack, 'POST', '/v1/exchange', requests[partner](0));
    expect(response.status).toBe(200);
    const log = await waitFor('the log records', async () => {
      const rows = await logOf(response.body.messageId);
      return rows.some((row) => row.event === 'reply-received') ? rows : undefined;
    });
    expect(log.find((row) => row.event === 'sent')).toMatchObject({ signature_format: format, signature_verification: 'signed' });
    expect(log.find((row) => row.event === 'reply-received')).toMatchObject({ signature_format: format, signature_verification: 'verified' });
  });

  it.each([
    ['population-registry', 'wrong-signer', 'REPLY_SIGNER_NOT_PARTNER', 'tax-service-rsa'],
    ['population-registry', 'drop-request-binding', 'REPLY_NOT_BOUND_TO_REQUEST', 'population-registry-rsa'],
    ['tax-service', 'wrong-signer', 'REPLY_SIGNER_NOT_PARTNER', 'population-registry-rsa'],
    ['tax-service', 'drop-request-binding', 'REPLY_NOT_BOUND_TO_REQUEST', 'tax-service-rsa'],
  ] as const)('refuses a %s reply under fault %s with %s, at once, and logs it as refused', async (partner, mode, code, signedBy) => {
    const before = await sim(partner, '/_sim/stats');
    await sim(partner, '/_sim/faults', { mode, count: 1 });
    const submitted = await api(stack, 'POST', '/v1/messages', requests[partner](mode === 'wrong-signer' ? 1 : 2));
    expect(submitted.status).toBe(202);
    const messageId = submitted.body.messageId as string;

    const failed = await waitFor('the failed status', async () => {
      const current = await statusOf(messageId);
      return current.status === 'failed' ? current : undefined;
    });
    expect(failed.history.filter((event) => event.status === 'retrying')).toHaveLength(0);
    expect(failed.history.find((event) => event.status === 'failed')?.detail).toMatchObject({ code });
    expect(failed.history.some((event) => event.status === 'replied')).toBe(false);
    // Asked once, never again.
    expect((await sim(partner, '/_sim/stats')).received).toBe(before.received + 1);

    const stored = await failedMessage(messageId);
    expect(JSON.stringify(stored)).toContain(code);

    const log = await logOf(messageId);
    expect(log.map((row) => row.event)).not.toContain('reply-received');
    const refused = log.find((row) => row.event === 'rejected');
    expect(refused).toBeDefined();
    expect(refused).toMatchObject({ direction: 'reply', signature_verification: 'failed' });
    expect(refused!.detail).toMatchObject({ code, expectedPartner: partner });
    expect(refused!.signer_certificate).toContain('BEGIN CERTIFICATE');
    if (code === 'REPLY_SIGNER_NOT_PARTNER') expect(String(refused!.detail?.signer)).toContain(signedBy);
    expect(log.find((row) => row.event === 'sent')).toMatchObject({ signature_verification: 'signed' });
    expect(log.find((row) => row.event === 'failed')?.detail).toMatchObject({ code });
  });
});

describe('access rights are checked again when the dispatcher takes a message from Kafka', () => {
  it('ends messages queued before a revocation as ACCESS_REVOKED failed messages; the partner never receives them', async () => {
    await sim('tax-service', '/_sim/reset', {});
    // The tax service is down: the messages wait in the retry topics.
    await sim('tax-service', '/_sim/faults', { mode: 'down' });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const submitted = await api(stack, 'POST', '/v1/messages', requests['tax-service'](10 + i), { 'x-road-client': 'MLSP/benefits' });
      expect(submitted.status).toBe(202);
      ids.push(submitted.body.messageId);
    }
    for (const id of ids) {
      await waitFor(`a failed attempt of ${id}`, async () => ((await statusOf(id, 'MLSP/benefits')).status === 'retrying' ? true : undefined));
    }
    const revoked = await admin('POST', '/v1/admin/access-rights/revoke', {
      client: 'MLSP/benefits',
      service: 'tax-service/GetTaxpayer',
      reason: 'agreement suspended while messages were queued',
    });
    expect(revoked.status).toBe(200);
    // Let attempts that passed the check just before the revocation fail against the down partner first.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await sim('tax-service', '/_sim/faults', { mode: 'none' });

    for (const id of ids) {
      const failed = await waitFor(`ACCESS_REVOKED of ${id}`, async () => {
        const current = await statusOf(id, 'MLSP/benefits');
        return current.status === 'failed' ? current : current.status === 'replied' ? Promise.reject(new Error(`${id} was delivered`)) : undefined;
      });
      expect(failed.history.find((event) => event.status === 'failed')?.detail).toMatchObject({ code: 'ACCESS_REVOKED' });
      expect(JSON.stringify(await failedMessage(id))).toContain('ACCESS_REVOKED');
    }
    const stats = await sim('tax-service', '/_sim/stats');
    expect(stats.received).toBe(0);
    expect(stats.order.filter((id: string) => ids.includes(id))).toEqual([]);
    // The console lists them with the code.
    const list = await admin('GET', '/v1/admin/failed-messages?errorCode=ACCESS_REVOKED');
    expect(list.status).toBe(200);
    for (const id of ids) expect(JSON.stringify(list.body)).toContain(id);
  });
});
