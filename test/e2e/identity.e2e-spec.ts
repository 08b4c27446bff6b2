import * as path from 'node:path';
import { Client } from 'pg';
import { logText, stopAllApps } from '@korpu/testing';
import { DEV_PKI_DIR, closeHttpsAgents, httpsRequest } from '../support/https-client';
import { Stack, api, startStack, waitFor } from '../support/stack';

/**
 * Subsystems authenticate at the internal API with their own TLS client certificate (registered in
 * contracts/clients.json, not matched by CN); every answer about a message goes to its sender only; the admin API
 * and console listen apart.
 */
let stack: Stack;
const OPERATOR_TOKEN = 'identity-e2e-operator-token';

beforeAll(async () => {
  stack = await startStack({ exchangeTimeoutMs: 6000, env: { ADMIN_OPERATORS: `${OPERATOR_TOKEN}=identity-tester` } });
});

afterAll(async () => {
  await stack?.stop();
  await stopAllApps();
  closeHttpsAgents();
});

const lookup = (voen: string) => ({ service: 'tax-service/GetTaxpayer', payload: { voen } });
const tlsFiles = (name: string) => ({ certFile: path.join(DEV_PKI_DIR, 'tls', `${name}.chain.crt`), keyFile: path.join(DEV_PKI_DIR, 'tls', `${name}.key`) });

async function refusals(): Promise<Record<string, number>> {
  const metrics = await httpsRequest(`${stack.adminUrl}/metrics`);
  const counts: Record<string, number> = {};
  for (const match of metrics.text.matchAll(/^korpu_client_authentication_refusals_total\{code="([A-Z_]+)"\} (\d+)$/gm)) counts[match[1]] = Number(match[2]);
  return counts;
}

describe('identity at the internal API', () => {
  it('refuses a subsystem without a TLS client certificate with 401, whatever header it sends, and counts it', async () => {
    const before = (await refusals()).CLIENT_UNAUTHENTICATED ?? 0;
    const response = await api(stack, 'POST', '/v1/messages', lookup('1400057421'), { 'x-road-client': 'MLSP/pensions' }, null);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.code).toBe('CLIENT_UNAUTHENTICATED');
    expect((await refusals()).CLIENT_UNAUTHENTICATED).toBe(before + 1);
  });

  it.each([
    ['issued by a CA the gateway does not trust', 'untrusted'],
    ['trusted but registered for no client', 'gateway'],
  ])('refuses a certificate %s with 401', async (_what, name) => {
    const response = await api(stack, 'POST', '/v1/exchange', lookup('1400057421'), {}, tlsFiles(name));
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('CLIENT_UNAUTHENTICATED');
  });

  it('lets a partner\'s certificate act only as that partner, which holds no right to outbound services', async () => {
    const response = await api(stack, 'POST', '/v1/exchange', lookup('1400057421'), { 'x-road-client': 'MLSP/pensions' }, tlsFiles('egov-portal'));
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('CLIENT_MISMATCH');
    const asItself = await api(stack, 'POST', '/v1/exchange', lookup('1400057421'), {}, tlsFiles('egov-portal'));
    expect(asItself.status).toBe(403);
    expect(asItself.body.code).toBe('ACCESS_DENIED');
  });

  it('refuses a subsystem whose certificate belongs to another client than it names with 403', async () => {
    const before = (await refusals()).CLIENT_MISMATCH ?? 0;
    const response = await api(stack, 'POST', '/v1/messages', lookup('1400057421'), { 'x-road-client': 'MLSP/pensions' }, 'benefits');
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('CLIENT_MISMATCH');
    expect((await refusals()).CLIENT_MISMATCH).toBe(before + 1);
    // The gateway's log says who was refused and why, and so does the message log.
    expect(logText(stack.gateway.output())).toMatch(/refused CLIENT_MISMATCH: X-Road-Client names "MLSP\/pensions" but the certificate belongs to "MLSP\/benefits"/);
    const db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query(
        `SELECT client, detail FROM message_log WHERE event = 'rejected' AND service = 'internal-api/authenticate' AND detail->>'code' = 'CLIENT_MISMATCH' AND client = 'MLSP/benefits'`,
      );
      expect(rows).toEqual([
        { client: 'MLSP/benefits', detail: expect.objectContaining({ declaredClient: 'MLSP/pensions', certificate: expect.stringContaining('benefits-tls') }) },
      ]);
    } finally {
      await db.end();
    }
  });

  it('takes the client from the certificate when no X-Road-Client is sent', async () => {
    const response = await api(stack, 'POST', '/v1/exchange', lookup('1400057421'), {}, 'benefits');
    expect(response.status).toBe(200);
    const record = await api(stack, 'GET', `/v1/messages/${response.body.messageId}`, undefined, {}, 'benefits');
    expect(record.body.client).toBe('MLSP/benefits');
  });

  it('lets only the sender read a message: another subsystem gets 404, nobody gets 401', async () => {
    const submitted = await api(stack, 'POST', '/v1/messages', lookup('2900000012'), {}, 'pensions');
    expect(submitted.status).toBe(202);
    const id = submitted.body.messageId as string;
    await waitFor('the reply', async () => ((await api(stack, 'GET', `/v1/messages/${id}`, undefined, {}, 'pensions')).body.status === 'replied' ? true : undefined));
    const other = await api(stack, 'GET', `/v1/messages/${id}`, undefined, {}, 'benefits');
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('MESSAGE_NOT_FOUND');
    expect(JSON.stringify(other.body)).not.toContain('NATURAL_PERSON');
    const unknown = await api(stack, 'GET', `/v1/messages/no-such-${Date.now()}`, undefined, {}, 'benefits');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ ...other.body, detail: expect.any(String), instance: expect.any(String) });
    expect((await api(stack, 'GET', `/v1/messages/${id}`, undefined, {}, null)).status).toBe(401);
    // A repeated message id of another client is no way in either.
    const reuse = await api(stack, 'POST', '/v1/messages', { ...lookup('2900000012'), messageId: id }, {}, 'benefits');
    expect(reuse.status).toBe(409);
    expect(JSON.stringify(reuse.body)).not.toContain('NATURAL_PERSON');
  });
});

describe('the admin listener', () => {
  it('serves the admin API and console apart from the internal API, without a client certificate', async () => {
    expect((await httpsRequest(`${stack.adminUrl}/console/`)).status).toBe(200);
    expect((await httpsRequest(`${stack.adminUrl}/v1/admin/failed-messages`)).body.code).toBe('ADMIN_UNAUTHENTICATED');
    // Neither listener answers the other's routes.
    const adminOnInternal = await httpsRequest(`${stack.gatewayUrl}/v1/admin/failed-messages`, { identity: 'pensions' });
    expect(adminOnInternal.status).toBe(404);
    expect((await httpsRequest(`${stack.gatewayUrl}/console/`, { identity: 'pensions' })).status).toBe(404);
    const internalOnAdmin = await httpsRequest(`${stack.adminUrl}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(internalOnAdmin.status).toBe(404);
    // Each publishes its own OpenAPI document.
    const internalDoc = (await httpsRequest(`${stack.gatewayUrl}/docs-json`)).body as { paths: Record<string, unknown> };
    const adminDoc = (await httpsRequest(`${stack.adminUrl}/admin/docs-json`)).body as { paths: Record<string, unknown> };
    expect(Object.keys(internalDoc.paths)).toContain('/v1/messages');
    expect(Object.keys(internalDoc.paths).some((p) => p.startsWith('/v1/admin'))).toBe(false);
    expect(Object.keys(adminDoc.paths)).toContain('/v1/admin/failed-messages');
    expect(Object.keys(adminDoc.paths)).not.toContain('/v1/messages');
  });

  it.each([
    ['no body', undefined],
    ['an empty object', '{}'],
    ['a JSON array', '[]'],
    ['a JSON string', '"MLSP/pensions"'],
  ])('answers a grant or revoke with %s with 400 REQUEST_INVALID, not a server error', async (_what, body) => {
    for (const action of ['grant', 'revoke']) {
      const response = await httpsRequest(`${stack.adminUrl}/v1/admin/access-rights/${action}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body,
      });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('REQUEST_INVALID');
    }
  });
});
