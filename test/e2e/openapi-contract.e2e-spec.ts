import { stopAllApps } from '@korpu/testing';
import { closeHttpsAgents, httpsRequest } from '../support/https-client';
import { Stack, api, startStack } from '../support/stack';

/**
 * The internal API's OpenAPI document describes what the API does: every status an operation answers is
 * documented for it (with problem+json for refusals), requests valid by the published schema are not refused as
 * invalid, and a known path with an unknown method gets 405 with Allow.
 */
type OpenApiDocument = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }>; requestBody?: unknown; parameters?: Array<{ name: string; in: string }> }>>;
};
const ADMIN = 'e2e-openapi-admin-token';
let stack: Stack;
let doc: OpenApiDocument;
let adminDoc: OpenApiDocument;

beforeAll(async () => {
  stack = await startStack({ exchangeTimeoutMs: 3000, env: { ADMIN_OPERATORS: `${ADMIN}=leyla.admin` } });
  doc = (await httpsRequest(`${stack.gatewayUrl}/docs-json`)).body;
  adminDoc = (await httpsRequest(`${stack.adminUrl}/admin/docs-json`)).body;
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

/**
 * The admin API (integration engineers, the console and the CLI) holds to the same rule: its requests are checked
 * against the schemas its document publishes (one definition), so no input gets an undocumented status or a 5xx,
 * and a request the document calls valid is not refused as invalid.
 */
describe('the admin API against its own OpenAPI document', () => {
  const asAdmin = { authorization: `Bearer ${ADMIN}` };
  const adminDocumented = (path: string, method: string): string[] => Object.keys(adminDoc.paths[path]?.[method]?.responses ?? {});

  it('publishes the request schemas the commands validate with', () => {
    const list = adminDoc.paths['/v1/admin/failed-messages'].get;
    expect(list.parameters?.map((parameter) => parameter.name)).toEqual(expect.arrayContaining(['status', 'partner', 'from', 'limit', 'cursor']));
    expect(adminDoc.paths['/v1/admin/replay-jobs'].post.requestBody).toMatchObject({ content: { 'application/json': { schema: { additionalProperties: false } } } });
    expect(adminDoc.paths['/v1/admin/access-rights/grant'].post.requestBody).toMatchObject({ content: { 'application/json': { schema: { required: ['client', 'service'] } } } });
  });

  it('documents every refusal as application/problem+json', () => {
    for (const [path, operations] of Object.entries(adminDoc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) >= 400) expect([path, method, status, Object.keys(response.content ?? {})]).toEqual([path, method, status, ['application/problem+json']]);
        }
      }
    }
  });

  const pathValues = ['x', '01JZZZZZZZZZZZZZZZZZZZZZZZ', 'a'.repeat(400), '%00', 'pause'];
  const queries = ['', '?limit=abc', '?limit=0', '?status=lost', '?from=yesterday', '?from=2026-12-02T10:00:00Z&to=2026-12-01T10:00:00Z', '?zzz=1', `?q=${'q'.repeat(300)}`, '?cursor=zzz', '?format=xml'];
  const bodies: Array<string | undefined> = [
    undefined,
    '{}',
    '[]',
    'null',
    '"text"',
    '{"unknown":1}',
    '{"reason":5,"force":"maybe"}',
    '{"filter":{"fingerprnt":"abc"}}',
    '{"filter":{"status":"lost"},"limit":1e9}',
    `{"client":"${'c'.repeat(300)}","service":"tax-service"}`,
    '{"ids":[]}',
    '{"payload":null}',
    '{"username":"","password":""}',
    '{"broken":',
  ];

  it('answers every admin operation, whatever the input, only with documented statuses and never 5xx', async () => {
    const seen: string[] = [];
    for (const [template, operations] of Object.entries(adminDoc.paths)) {
      for (const method of Object.keys(operations)) {
        const paths = template.includes('{') ? pathValues.map((value) => template.replace(/\{[^}]+\}/g, encodeURIComponent(value))) : [template];
        for (const path of paths) {
          const inputs = method === 'get' || method === 'delete' ? queries.map((query) => ({ query, body: undefined })) : bodies.map((body) => ({ query: '', body }));
          for (const { query, body } of inputs) {
            const response = await httpsRequest(`${stack.adminUrl}${path}${query}`, {
              method: method.toUpperCase(),
              headers: { ...asAdmin, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
              body,
              identity: null,
            });
            const what = `${method.toUpperCase()} ${path.slice(0, 80)}${query.slice(0, 60)} ${String(body).slice(0, 60)} -> ${response.status}`;
            seen.push(what);
            expect([what, adminDocumented(template, method)]).toEqual([what, expect.arrayContaining([String(response.status)])]);
            expect([what, response.status < 500]).toEqual([what, true]);
            if (response.status >= 400) expect([what, response.headers.get('content-type')]).toEqual([what, expect.stringContaining('application/problem+json')]);
          }
        }
      }
    }
    expect(seen.length).toBeGreaterThan(200);
  });

  it('does not refuse as invalid admin requests the published schemas take', async () => {
    const admin = (method: string, path: string, body?: unknown) => api(stack, method, path, body, asAdmin);
    const everyFilter = 'status=unresolved,replayed&partner=tax-service&service=tax-service/GetTaxpayer&errorCode=PARTNER_UNAVAILABLE' +
      '&client=MLSP/pensions&messageType=taxpayer-lookup-request&schemaVersion=1&messageId=m-1&correlationId=c-1' +
      '&from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z&q=m&limit=500';
    expect((await admin('GET', `/v1/admin/failed-messages?${everyFilter}`)).status).toBe(200);
    expect((await admin('GET', `/v1/admin/failed-messages/groups?by=service&${everyFilter.replace('limit=500', 'limit=1000')}`)).status).toBe(200);
    const filter = { status: ['unresolved'], partner: 'tax-service', from: '2026-01-01T00:00:00Z' };
    expect((await admin('POST', '/v1/admin/failed-messages/replay', { filter, limit: 10, dryRun: true, reason: 'contract check' })).status).toBe(200);
    expect((await admin('POST', '/v1/admin/replay-jobs', { filter, preview: true })).status).toBe(201);
    expect((await admin('POST', '/v1/admin/access-rights/grant', { client: 'MLSP/pensions', service: 'tax-service/GetTaxpayer', reason: 'contract check' })).status).toBe(200);
    expect((await admin('GET', '/v1/admin/audit?action=grant-access&limit=5')).status).toBe(200);
  });

  it('refuses a typo in a bulk-replay filter instead of replaying everything', async () => {
    const typo = await api(stack, 'POST', '/v1/admin/failed-messages/replay', { filter: { fingerprnt: '0123abcd' }, dryRun: true }, asAdmin);
    expect(typo.status).toBe(400);
    expect(typo.body).toMatchObject({ code: 'FAILED_MESSAGE_REQUEST_INVALID', problems: ['"filter.fingerprnt" is not a field of this request'] });
  });
});
