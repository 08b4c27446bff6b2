import { stopAllApps } from '@korpu/testing';
import { closeHttpsAgents, httpsRequest } from '../support/https-client';
import { Stack, api, startStack } from '../support/stack';

/**
 * The internal API's OpenAPI document describes what the API does: every status an operation answers is
 * documented for it (with problem+json for refusals), requests valid by the published schema are not refused as
 * invalid, and a known path with an unknown method gets 405 with Allow.
 */
let stack: Stack;
let doc: { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }>; requestBody?: unknown }>> };

beforeAll(async () => {
  stack = await startStack({ exchangeTimeoutMs: 3000 });
  doc = (await httpsRequest(`${stack.gatewayUrl}/docs-json`)).body;
});

afterAll(async () => {
  await stack?.stop();
  await stopAllApps();
  closeHttpsAgents();
});

const documented = (path: string, method: string): string[] => Object.keys(doc.paths[path]?.[method]?.responses ?? {});

describe('the internal API against its own OpenAPI document', () => {
  it('documents every refusal as application/problem+json', () => {
    for (const [path, operations] of Object.entries(doc.paths).filter(([p]) => p.startsWith('/v1/messages') || p === '/v1/exchange')) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) >= 400) expect([path, method, status, Object.keys(response.content ?? {})]).toEqual([path, method, status, ['application/problem+json']]);
        }
      }
    }
  });

  // Every row has all three cells: Jest takes a test function with more parameters than cells for a done-callback test.
  const submits: Array<[string, unknown, string | undefined]> = [
    ['a valid request', { service: 'tax-service/GetTaxpayer', payload: { voen: '1400057421' } }, undefined],
    ['every optional field', { service: 'tax-service/GetTaxpayer', messageType: 'taxpayer-lookup-request', schemaVersion: '1', payload: { voen: '1400057421' }, correlationId: 'c-1', userId: 'AZ1234567' }, undefined],
    ['an unknown field', { service: 'tax-service/GetTaxpayer', payload: {}, extra: 1 }, undefined],
    ['a service without operation', { service: 'tax-service', payload: {} }, undefined],
    ['an unknown service', { service: 'tax-service/Nope', payload: {} }, undefined],
    ['a numeric payload', { service: 'tax-service/GetTaxpayer', payload: 5 }, undefined],
    ['an empty XML payload', { service: 'tax-service/GetTaxpayer', payload: '' }, undefined],
    ['an id with a slash', { service: 'tax-service/GetTaxpayer', payload: {}, messageId: 'a/b' }, undefined],
    ['a huge id', { service: 'tax-service/GetTaxpayer', payload: {}, messageId: 'x'.repeat(5000) }, undefined],
    ['a schema version that is not a number', { service: 'tax-service/GetTaxpayer', payload: {}, schemaVersion: 'v1' }, undefined],
    ['an unknown schema version', { service: 'tax-service/GetTaxpayer', payload: {}, schemaVersion: '99' }, undefined],
    ['a payload that breaks its schema', { service: 'tax-service/GetTaxpayer', payload: { voen: 'x' } }, undefined],
    ['a JSON array', [1, 2], undefined],
    ['JSON null', null, undefined],
    ['not JSON', '{"service":', 'raw'],
    ['another content type', 'service=x', 'form'],
  ];

  it.each(submits)('answers POST /v1/messages and /v1/exchange with %s only with documented statuses', async (_what, body, kind) => {
    for (const path of ['/v1/messages', '/v1/exchange']) {
      const headers: Record<string, string> = { 'content-type': kind === 'form' ? 'application/x-www-form-urlencoded' : 'application/json' };
      const response = await httpsRequest(`${stack.gatewayUrl}${path}`, {
        method: 'POST',
        headers,
        body: kind ? String(body) : JSON.stringify(body),
        identity: 'pensions',
      });
      expect(documented(path, 'post')).toContain(String(response.status));
      expect(response.status).toBeLessThan(500);
      if (response.status >= 400) expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('does not refuse as invalid a request the published schema takes', async () => {
    const valid = await api(stack, 'POST', '/v1/messages', submits[1][1]);
    expect(valid.status).toBe(202);
  });

  it('answers GET /v1/messages/{id} only with documented statuses, whatever the id', async () => {
    for (const id of ['unknown-1', 'a'.repeat(3000), '%00', '..%2F..%2Fetc', 'ü']) {
      const response = await httpsRequest(`${stack.gatewayUrl}/v1/messages/${encodeURI(id)}`, { identity: 'pensions' });
      expect(documented('/v1/messages/{id}', 'get')).toContain(String(response.status));
    }
  });

  it('answers a known path with a method it does not take with 405 and Allow', async () => {
    const put = await httpsRequest(`${stack.gatewayUrl}/v1/messages`, { method: 'PUT', identity: 'pensions', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('POST');
    expect(put.body.code).toBe('METHOD_NOT_ALLOWED');
    const del = await httpsRequest(`${stack.gatewayUrl}/v1/messages/some-id`, { method: 'DELETE', identity: 'pensions' });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, HEAD');
    expect((await httpsRequest(`${stack.gatewayUrl}/v1/nothing-here`, { identity: 'pensions' })).status).toBe(404);
  });
});
