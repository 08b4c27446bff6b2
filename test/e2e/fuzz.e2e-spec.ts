import fc from 'fast-check';
import { stopAllApps } from '@korpu/testing';
import { closeHttpsAgents, httpsRequest, Identity } from '../support/https-client';
import { Stack, startStack } from '../support/stack';

/**
 * Property-based fuzzing of the public endpoints — the internal API, the admin API and the partner endpoint — with
 * a fixed seed and a bounded number of cases (CI-stable): whatever a caller sends, no answer is an internal error
 * (500), every 5xx is one of the documented, coded answers of a partner exchange, and no process crashes.
 */
const SEED = 20261201;
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const OPERATOR_TOKEN = 'fuzz-operator-token';
/** 5xx answers that are not faults of Körpü but coded answers about a partner or the broker (documented per operation). */
const CODED_5XX = new Set(['EXCHANGE_FAILED', 'REPLY_TIMEOUT', 'BROKER_UNAVAILABLE', 'REPLAY_PUBLISH_FAILED']);

let stack: Stack;
const seen: Array<{ request: string; status: number; code?: string }> = [];

beforeAll(async () => {
  stack = await startStack({
    simulators: ['tax-service', 'population-registry', 'ministry-subsystem', 'egov-portal'],
    partnerEndpoint: true,
    exchangeTimeoutMs: 1500,
    inboundReplyTimeoutMs: 1500,
    env: { ADMIN_OPERATORS: `${OPERATOR_TOKEN}=fuzzer` },
  });
});

afterAll(async () => {
  const byStatus: Record<number, number> = {};
  for (const s of seen) byStatus[s.status] = (byStatus[s.status] ?? 0) + 1;
  process.stdout.write(`fuzz: ${seen.length} requests, answers by status ${JSON.stringify(byStatus)}\n`);
  await stack?.stop();
  await stopAllApps();
  closeHttpsAgents();
});

// Strings a hostile caller would try: Unicode, control characters, huge numbers, traversal, header injection.
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', '../../etc/passwd', '%00', '\u0000', 'a\r\nX-Injected: 1', '😀'.repeat(50), 'x'.repeat(3000), '1e309', '-0', '<a/>', '{"a":', 'null'),
);
const service = fc.oneof(
  fc.constantFrom('tax-service/GetTaxpayer', 'population-registry/GetPerson', 'tax-service/Nope', 'nope/GetTaxpayer', 'tax-service'),
  nasty,
);
const jsonish = fc.oneof(fc.jsonValue({ maxDepth: 3 }), nasty, fc.integer(), fc.double(), fc.constant(null));
const submitBody = fc.record(
  {
    service,
    payload: fc.oneof(fc.record({ voen: fc.oneof(fc.constantFrom('1400057421', '2900000012'), nasty) }), fc.dictionary(nasty, jsonish, { maxKeys: 3 }), nasty),
    messageType: fc.oneof(fc.constantFrom('taxpayer-lookup-request', 'person-lookup-request'), nasty),
    schemaVersion: fc.oneof(fc.constantFrom('1', '2', '0', '99'), nasty, fc.integer()),
    messageId: fc.oneof(fc.uuid(), nasty),
    correlationId: nasty,
    userId: nasty,
  },
  { requiredKeys: [] },
);
const rawBody = fc.oneof(
  submitBody.map((b) => JSON.stringify(b)),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  nasty,
  fc.constantFrom('{"service":"tax-service/GetTaxpayer","payload":{"voen":"1400057421"}', '[]', '{}', '"x"', '1'.repeat(400), '{"__proto__":{"a":1}}'),
);
const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-16', 'text/plain', 'application/xml', 'text/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '');
// Mostly the methods the routes take, so most cases reach the handlers rather than the 405 answer.
const method = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('GET', 'POST') }, { weight: 1, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS') });

async function send(base: string, request: { method: string; path: string; contentType: string; body?: string; headers?: Record<string, string>; identity?: Identity }) {
  const headers: Record<string, string> = { ...request.headers };
  if (request.contentType) headers['content-type'] = request.contentType;
  const hasBody = request.body !== undefined && request.method !== 'GET';
  let answer;
  try {
    answer = await httpsRequest(`${base}${request.path}`, {
      method: request.method,
      headers,
      body: hasBody ? request.body : undefined,
      identity: request.identity ?? null,
      timeoutMs: 20000,
      keepAlive: false,
    });
  } catch (error) {
    // A header value Node refuses to send is the client's limit, not the server's answer.
    if (/Invalid character in header|ERR_INVALID_CHAR|ERR_INVALID_HTTP_TOKEN|ERR_UNESCAPED_CHARACTERS/.test(String((error as Error).message ?? error)) || (error as { code?: string }).code?.startsWith('ERR_INVALID')) return true;
    throw error;
  }
  const code = typeof answer.body === 'object' && answer.body !== null ? (answer.body as { code?: string }).code : undefined;
  seen.push({ request: `${request.method} ${request.path}`, status: answer.status, code });
  if (answer.status === 500 || (answer.status > 500 && !CODED_5XX.has(code ?? ''))) {
    throw new Error(`${request.method} ${request.path} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  }
  return true;
}

const segment = fc.oneof(nasty.map((s) => encodeURIComponent(s)), fc.uuid(), fc.constantFrom('..', '%2e%2e', '%2F', 'x'.repeat(300)));

describe('fuzzing the public endpoints (fixed seed, bounded)', () => {
  it('the internal API never answers with an internal error', async () => {
    const request = fc.record({
      method,
      path: fc.oneof(
        fc.constantFrom('/v1/messages', '/v1/exchange', '/v1/schemas', '/health', '/docs-json'),
        segment.map((s) => `/v1/messages/${s}`),
        fc.tuple(segment, segment).map(([a, b]) => `/v1/schemas/${a}/${b}`),
        segment.map((s) => `/v1/${s}`),
      ),
      contentType,
      body: rawBody,
      headers: fc.record({ 'x-road-client': fc.oneof(fc.constantFrom('MLSP/pensions', 'MLSP/benefits'), nasty.filter((s) => /^[\x20-\x7e]*$/.test(s))) }, { requiredKeys: [] }),
      identity: fc.constantFrom<Identity>('pensions', 'benefits', 'disability', null),
    });
    await fc.assert(fc.asyncProperty(request, (r) => send(stack.gatewayUrl, r)), { seed: SEED, numRuns: RUNS, endOnFailure: true });
  });

  it('the admin API never answers with an internal error', async () => {
    const request = fc.record({
      method,
      path: fc.oneof(
        fc.constantFrom('/v1/admin/failed-messages', '/v1/admin/failed-messages/groups', '/v1/admin/failed-messages/replay', '/v1/admin/audit', '/v1/admin/access-rights', '/v1/admin/access-rights/grant', '/v1/admin/access-rights/revoke', '/v1/admin/replay-jobs'),
        fc.tuple(segment, fc.constantFrom('', '/payload', '/replay', '/resolve', '/edit-and-replay', '/discard', '/restore')).map(([id, action]) => `/v1/admin/failed-messages/${id}${action}`),
        fc.tuple(fc.oneof(segment, fc.constant('01ARZ3NDEKTSV4RRFFQ69G5FAV')), fc.constantFrom('', '/pause', '/resume', '/cancel', '/x', '?items=in-doubt')).map(([id, action]) => `/v1/admin/replay-jobs/${id}${action}`),
        fc.tuple(fc.constantFrom('status', 'errorCode', 'service', 'from', 'to', 'limit', 'cursor', 'by', 'operator', 'client', 'dryRun'), segment).map(
          ([key, value]) => `/v1/admin/failed-messages?${key}=${value}`,
        ),
        fc.tuple(fc.constantFrom('limit', 'cursor', 'from', 'action'), segment).map(([key, value]) => `/v1/admin/audit?${key}=${value}`),
        fc.tuple(fc.constantFrom('client', 'service', 'result', 'errorCode', 'messageId', 'from', 'to', 'limit', 'cursor', 'direction'), segment).map(
          ([key, value]) => `/v1/admin/operational-records?${key}=${value}`,
        ),
      ),
      contentType,
      body: fc.oneof(
        rawBody,
        fc
          .record(
            {
              client: nasty,
              service,
              reason: nasty,
              payload: jsonish,
              force: fc.oneof(fc.boolean(), nasty),
              archive: fc.oneof(fc.boolean(), nasty),
              dryRun: fc.oneof(fc.boolean(), nasty),
              ids: fc.oneof(fc.array(nasty, { maxLength: 3 }), jsonish),
              fingerprint: nasty,
              filter: fc.oneof(jsonish, fc.record({ status: nasty, partner: nasty, from: nasty, messageId: nasty }, { requiredKeys: [] })),
              preview: fc.oneof(fc.boolean(), nasty),
            },
            { requiredKeys: [] },
          )
          .map((b) => JSON.stringify(b)),
      ),
      headers: fc.constantFrom({ authorization: `Bearer ${OPERATOR_TOKEN}` }, { authorization: 'Bearer nope' }, {} as Record<string, string>),
    });
    await fc.assert(fc.asyncProperty(request, (r) => send(stack.adminUrl, r)), { seed: SEED, numRuns: RUNS, endOnFailure: true });
  });

  it('the partner endpoint never answers with an internal error', async () => {
    const xml = fc.oneof(
      nasty,
      fc.constantFrom(
        '<?xml version="1.0"?><Envelope/>',
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header/><soapenv:Body><x/></soapenv:Body></soapenv:Envelope>',
        '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
        `${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`,
        `<a ${Array.from({ length: 500 }, (_, i) => `x${i}="1"`).join(' ')}/>`,
      ),
      fc.tuple(nasty, nasty).map(([a, b]) => `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><${'m'} a="${a.replace(/[<>&"]/g, '')}">${b.replace(/[<>&]/g, '')}</m></soapenv:Body></soapenv:Envelope>`),
    );
    const request = fc.record({
      method,
      path: fc.oneof(fc.constantFrom('/soap', '/soap?wsdl', '/rest/v1/GetPensionEntitlement', '/rest/v1/GetDisabilityStatus'), segment.map((s) => `/rest/v1/${s}`), segment.map((s) => `/soap/${s}`)),
      contentType,
      body: fc.oneof(xml, rawBody),
      headers: fc.record(
        {
          'x-road-client': nasty.filter((s) => /^[\x20-\x7e]*$/.test(s)),
          'x-road-id': nasty.filter((s) => /^[\x20-\x7e]*$/.test(s)),
          'x-korpu-schema-version': nasty.filter((s) => /^[\x20-\x7e]*$/.test(s)),
          soapaction: fc.constantFrom('urn:korpu:ministry:pension/GetPensionEntitlement', '""', 'x'),
          'x-korpu-signature': nasty.filter((s) => /^[\x20-\x7e]*$/.test(s)),
        },
        { requiredKeys: [] },
      ),
    });
    const base = stack.partnerEndpointUrl as string;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const response = await fetch(`${base}${r.path}`, {
          method: r.method,
          headers: { ...(r.contentType ? { 'content-type': r.contentType } : {}), ...r.headers },
          body: r.method === 'GET' ? undefined : r.body,
          signal: AbortSignal.timeout(20000),
        }).catch((error: unknown) => {
          if (/Invalid|ByteString|header/i.test(String((error as Error).message))) return undefined;
          throw error;
        });
        if (!response) return true;
        const text = await response.text();
        seen.push({ request: `${r.method} ${r.path}`, status: response.status });
        if (response.status === 500 && !r.path.startsWith('/soap')) throw new Error(`${r.method} ${r.path} answered 500: ${text.slice(0, 300)}`);
        // SOAP 1.1 over HTTP (WS-I Basic Profile R1126) answers every Fault with 500: a Client fault with Körpü's
        // code is a refusal, not an internal error; a Server fault or any other 5xx is a failure.
        const clientFault = response.status === 500 && /<faultcode>[^<]*:Client<\/faultcode>/.test(text) && /<korpu:code>[A-Z_]+<\/korpu:code>|code>[A-Z_]+</.test(text);
        if (response.status >= 500 && !clientFault) throw new Error(`${r.method} ${r.path} answered ${response.status}: ${text.slice(0, 300)}`);
        return true;
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  });

  it('leaves every process running and healthy', async () => {
    for (const app of [stack.gateway, stack.partnerEndpoint!, ...stack.dispatchers, stack.simulators]) expect([app.name, app.child.exitCode]).toEqual([app.name, null]);
    expect((await httpsRequest(`${stack.gatewayUrl}/ready`)).status).toBe(200);
    expect((await fetch(`${stack.partnerEndpointUrl}/ready`)).status).toBe(200);
  });
});
