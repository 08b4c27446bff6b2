import * as fs from 'node:fs';
import { stopAllApps } from '@korpu/testing';
import { fastRetryContracts } from '../support/load';
import { Stack, api, startStack, waitFor } from '../support/stack';

const OPERATOR_TOKEN = 'e2e-operator-token';
let stack: Stack;
let contractsDir: string;

beforeAll(async () => {
  contractsDir = fastRetryContracts();
  stack = await startStack({ contractsDir, env: { ADMIN_OPERATORS: `${OPERATOR_TOKEN}=aysel.mammadova` } });
});

afterAll(async () => {
  await stack?.stop();
  await stopAllApps();
  fs.rmSync(contractsDir, { recursive: true, force: true });
});

const admin = (method: string, path: string, body?: unknown) =>
  api(stack, method, path, body, { authorization: `Bearer ${OPERATOR_TOKEN}` });

async function setFault(fault: Record<string, unknown>): Promise<void> {
  await fetch(`${stack.taxServiceUrl}/_sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
}

async function statusOf(messageId: string): Promise<{ status: string; history: Array<{ status: string; detail?: Record<string, unknown> }> }> {
  return (await api(stack, 'GET', `/v1/messages/${messageId}`)).body;
}

describe('retries, dead letters and replay (separate processes)', () => {
  it('keeps the messages of one correlation in order at the partner while the first is retried', async () => {
    await setFault({ mode: 'server-error', count: 3 });
    const correlationId = `order-${Date.now()}`;
    const ids: string[] = [];
    for (const voen of ['1710000011', '1720000011', '1730000011', '1740000011']) {
      const submitted = await api(stack, 'POST', '/v1/messages', { service: 'tax-service/GetTaxpayer', correlationId, payload: { voen } });
      expect(submitted.status).toBe(202);
      ids.push(submitted.body.messageId);
    }
    for (const id of ids) {
      await waitFor(`delivery of ${id}`, async () => ((await statusOf(id)).status === 'replied' ? true : undefined));
    }
    const stats = (await (await fetch(`${stack.taxServiceUrl}/_sim/stats`)).json()) as { order: string[] };
    expect(stats.order.filter((id) => ids.includes(id))).toEqual(ids);
    // The first was retried; the others waited behind it without spending attempts.
    expect((await statusOf(ids[0])).history.filter((event) => event.status === 'retrying').length).toBeGreaterThanOrEqual(1);
    const parked = (await statusOf(ids[1])).history.filter((event) => event.status === 'retrying');
    expect(parked.every((event) => event.detail?.parked === true)).toBe(true);
  });

  it('retries a temporary partner failure and then delivers', async () => {
    await setFault({ mode: 'server-error', count: 2 });
    const submitted = await api(stack, 'POST', '/v1/messages', { service: 'tax-service/GetTaxpayer', payload: { voen: '1700000011' } });
    expect(submitted.status).toBe(202);
    const record = await waitFor('delivery after retries', async () => {
      const current = await statusOf(submitted.body.messageId);
      return current.status === 'replied' ? current : undefined;
    });
    const retries = record.history.filter((event) => event.status === 'retrying');
    expect(retries).toHaveLength(2);
    expect(retries[0].detail).toMatchObject({ code: 'PARTNER_SERVER_ERROR', attempt: 1 });
  });

  it('dead-letters a reply that breaks its schema at once, and an operator replays it to delivery', async () => {
    await setFault({ mode: 'invalid-schema', count: 1 });
    const submitted = await api(stack, 'POST', '/v1/messages', { service: 'tax-service/GetTaxpayer', payload: { voen: '1800000011' } });
    const messageId = submitted.body.messageId as string;
    const failed = await waitFor('the failure', async () => {
      const current = await statusOf(messageId);
      return current.status === 'failed' ? current : undefined;
    });
    expect(failed.history.filter((event) => event.status === 'retrying')).toHaveLength(0);

    const stored = await waitFor('the failed-message record', async () => {
      const response = await admin('GET', `/v1/admin/failed-messages/${messageId}`);
      return response.status === 200 ? response.body : undefined;
    });
    expect(JSON.stringify(stored)).toContain('PARTNER_REPLY_SCHEMA_INVALID');

    const list = await admin('GET', '/v1/admin/failed-messages?errorCode=PARTNER_REPLY_SCHEMA_INVALID');
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).toContain(messageId);

    const replay = await admin('POST', `/v1/admin/failed-messages/${messageId}/replay`, { reason: 'tax service fixed its reply' });
    expect(replay.status).toBeLessThan(300);
    await waitFor('delivery after the replay', async () => ((await statusOf(messageId)).status === 'replied' ? true : undefined));

    const audit = await admin('GET', `/v1/admin/audit?messageId=${messageId}`);
    expect(JSON.stringify(audit.body)).toContain('aysel.mammadova');
    expect(JSON.stringify(audit.body)).toMatch(/replay/i);
  });

  it('lets an operator revoke and grant back a client\'s access, effective on the next request, and audits both', async () => {
    const lookup = () =>
      api(stack, 'POST', '/v1/messages', { service: 'tax-service/GetTaxpayer', payload: { voen: '1400057421' } }, { 'x-road-client': 'MLSP/benefits' });
    const before = await lookup();
    expect(before.status).toBe(202);
    const revoked = await admin('POST', '/v1/admin/access-rights/revoke', {
      client: 'MLSP/benefits',
      service: 'tax-service/GetTaxpayer',
      reason: 'data-sharing agreement expired',
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual([expect.objectContaining({ service: 'tax-service/GetTaxpayer', revokedBy: 'aysel.mammadova' })]);
    const denied = await lookup();
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('ACCESS_DENIED');
    expect((await admin('POST', '/v1/admin/access-rights/grant', { client: 'MLSP/benefits', service: 'tax-service/GetTaxpayer' })).status).toBe(200);
    const regranted = await lookup();
    expect(regranted.status).toBe(202);
    // Both accepted lookups must reach the partner before the next test arms a one-shot simulator fault.
    for (const messageId of [before.body.messageId, regranted.body.messageId]) {
      await waitFor(`delivery of ${messageId}`, async () => {
        const current = await api(stack, 'GET', `/v1/messages/${messageId}`, undefined, { 'x-road-client': 'MLSP/benefits' });
        return current.body.status === 'replied' ? true : undefined;
      });
    }
    const audit = await admin('GET', '/v1/admin/audit?action=revoke-access');
    expect(JSON.stringify(audit.body)).toContain('data-sharing agreement expired');
  });

  it('refuses the admin API without an operator token', async () => {
    const response = await api(stack, 'GET', '/v1/admin/failed-messages', undefined, {});
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('ADMIN_UNAUTHENTICATED');
  });

  it('dead-letters a reply whose signature does not verify, without retrying', async () => {
    await setFault({ mode: 'bad-signature', count: 1 });
    const response = await api(stack, 'POST', '/v1/exchange', { service: 'tax-service/GetTaxpayer', payload: { voen: '1900000011' } });
    expect(response.status).toBe(502);
    expect(response.body).toMatchObject({ code: 'EXCHANGE_FAILED', cause: 'PARTNER_REPLY_SIGNATURE_INVALID' });
  });
});
