import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { LIST_OPERATIONAL_RECORDS_SCHEMA } from '@korpu/operational-monitoring';
import { repoRoot, stopAllApps } from '@korpu/testing';
import { httpsRequest } from '../support/https-client';
import { simulator } from '../support/contracts';
import { Stack, api, startStack, waitFor } from '../support/stack';

/**
 * Operational records from real exchanges: subsystem → gateway → Kafka → dispatcher → tax service simulator,
 * and portal simulator → partner endpoint → Kafka → subsystem callback, all separate processes; the records are
 * read back through the gateway's admin API with a viewer's token.
 */
const VIEWER = 'e2e-oprecords-viewer';
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    simulators: ['tax-service', 'ministry-subsystem', 'egov-portal'],
    partnerEndpoint: true,
    inboundReplyTimeoutMs: 3000,
    // Short flush so the test does not wait for the default 250 ms more than it has to.
    env: { ADMIN_OPERATORS: `${VIEWER}=nigar.viewer:viewer`, OPERATIONAL_RECORDS_FLUSH_MS: '50' },
  });
});

afterAll(async () => {
  await stack?.stop();
  await stopAllApps();
});

const records = (query: string, token: string | undefined = VIEWER) =>
  api(stack, 'GET', `/v1/admin/operational-records${query}`, undefined, token ? { authorization: `Bearer ${token}` } : {});

async function recordsOf(query: string, count: number): Promise<any[]> {
  return waitFor(`${count} operational record(s) for ${query}`, async () => {
    const page = await records(query);
    expect(page.status).toBe(200);
    return page.body.items.length >= count ? page.body.items : undefined;
  });
}

const taxpayerLookup = (voen: string, extra: Record<string, unknown> = {}) => ({
  service: 'tax-service/GetTaxpayer',
  payload: { voen },
  ...extra,
});

describe('operational records of real exchanges, through the admin API', () => {
  it('records a synchronous exchange with every hop in order, its sizes, result and the partner\'s signer', async () => {
    const response = await api(stack, 'POST', '/v1/exchange', taxpayerLookup('1400057421'));
    expect(response.status).toBe(200);
    const [record] = await recordsOf(`?messageId=${response.body.messageId}`, 1);
    expect(record).toMatchObject({
      direction: 'outbound',
      client: 'MLSP/pensions',
      service: 'tax-service/GetTaxpayer',
      partner: 'tax-service',
      operation: 'GetTaxpayer',
      messageId: response.body.messageId,
      replyMessageId: response.body.replyMessageId,
      attempt: 1,
      requestSize: Buffer.byteLength(JSON.stringify({ voen: '1400057421' })),
      result: 'succeeded',
      app: 'dispatcher',
    });
    expect(record.responseSize).toBeGreaterThan(20);
    expect(record.errorCode).toBeUndefined();
    expect(record.signer.subject).toContain('tax-service-rsa');
    expect(record.signer.serialNumber).toMatch(/^[0-9A-F]+$/);
    const hops = ['requestInAt', 'requestQueuedAt', 'requestPickedAt', 'requestOutAt', 'responseInAt', 'responseOutAt'].map((hop) => Date.parse(record.hops[hop]));
    expect(hops.every(Number.isFinite)).toBe(true);
    expect([...hops].sort((a, b) => a - b)).toEqual(hops);
    expect(record.durations.partnerMs).toBeGreaterThanOrEqual(0);
    expect(record.durations.totalMs).toBe(hops[5] - hops[0]);
    // Metadata only: the taxpayer's data is nowhere in the record.
    expect(JSON.stringify(record)).not.toContain('1400057421');
  });

  it('records a reply refused for its signer as dead-lettered with the code and who signed it, found by result and error code', async () => {
    await simulator(stack.taxServiceUrl, '/_sim/faults', { mode: 'wrong-signer', count: 1 });
    const correlationId = `e2e-oprec-${Date.now()}`;
    const submitted = await api(stack, 'POST', '/v1/messages', taxpayerLookup('2900000012', { correlationId }));
    expect(submitted.status).toBe(202);
    const [record] = await recordsOf(`?correlationId=${correlationId}&result=dead-lettered&errorCode=REPLY_SIGNER_NOT_PARTNER`, 1);
    expect(record).toMatchObject({ messageId: submitted.body.messageId, result: 'dead-lettered', errorCode: 'REPLY_SIGNER_NOT_PARTNER' });
    expect(record.signer.subject).toContain('population-registry-rsa');
    expect((await records(`?correlationId=${correlationId}&result=succeeded`)).body.items).toEqual([]);
  });

  it('records a submit the gateway refused for its schema as refused, with the code, nothing queued', async () => {
    const correlationId = `e2e-oprec-refused-${Date.now()}`;
    const refused = await api(stack, 'POST', '/v1/messages', taxpayerLookup('not-a-voen', { correlationId }));
    expect(refused.status).toBe(422);
    const [record] = await recordsOf(`?correlationId=${correlationId}&result=refused`, 1);
    expect(record).toMatchObject({
      direction: 'outbound',
      client: 'MLSP/pensions',
      service: 'tax-service/GetTaxpayer',
      result: 'refused',
      errorCode: refused.body.code,
      app: 'gateway',
    });
    expect(record.hops.requestQueuedAt).toBeUndefined();
    expect(Date.parse(record.hops.responseOutAt)).toBeGreaterThanOrEqual(Date.parse(record.hops.requestInAt));
    expect(JSON.stringify(record)).not.toContain('not-a-voen');
  });

  it('summarises the partner\'s exchanges of the last hour from the same records (what the console overview draws)', async () => {
    const listed = (await records('?partner=tax-service&limit=500')).body.items as Array<{ result: string }>;
    const summary = await api(stack, 'GET', '/v1/admin/operational-records/summary?window=1h&partner=tax-service', undefined, { authorization: `Bearer ${VIEWER}` });
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ window: '1h', bucketSeconds: 60 });
    const [tax] = summary.body.partners;
    expect(tax.partner).toBe('tax-service');
    // The tests above left succeeded, dead-lettered and refused records: the summary counts exactly what is listed.
    expect(tax.totals.exchanges).toBe(listed.length);
    expect(tax.totals.deadLettered).toBe(listed.filter((r) => r.result === 'dead-lettered').length);
    expect(tax.totals.refused).toBe(listed.filter((r) => r.result === 'refused').length);
    expect(tax.totals.deadLettered).toBeGreaterThanOrEqual(1);
    expect(tax.totals.refused).toBeGreaterThanOrEqual(1);
    expect(tax.totals.p99Ms).toBeGreaterThan(0);
    expect(tax.buckets.reduce((sum: number, bucket: { exchanges: number }) => sum + bucket.exchanges, 0)).toBe(listed.length);
    const bad = await api(stack, 'GET', '/v1/admin/operational-records/summary?window=7d', undefined, { authorization: `Bearer ${VIEWER}` });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('OPERATIONAL_RECORDS_REQUEST_INVALID');
  });

  it('pages the records of one client and service newest first by cursor', async () => {
    const correlationId = `e2e-oprec-page-${Date.now()}`;
    const ids: string[] = [];
    for (const voen of ['1500000011', '1600000011', '1700000011']) {
      const response = await api(stack, 'POST', '/v1/exchange', taxpayerLookup(voen, { correlationId }));
      expect(response.status).toBe(200);
      ids.push(response.body.messageId);
    }
    await recordsOf(`?correlationId=${correlationId}`, 3);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await records(`?client=MLSP/pensions&service=tax-service/GetTaxpayer&correlationId=${correlationId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((item: { messageId: string }) => item.messageId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('records an inbound call from the portal as answered by the ministry, signed by us', async () => {
    const result = await simulator(stack.simulatorUrls['egov-portal'], '/_sim/call', { operation: 'GetPensionEntitlement', fin: '5ZJBKQ2' });
    expect(result.httpStatus).toBe(200);
    const [record] = await recordsOf(`?messageId=${result.messageId}&direction=inbound`, 1);
    expect(record).toMatchObject({ direction: 'inbound', service: 'ministry/GetPensionEntitlement', result: 'succeeded', app: 'partner-endpoint' });
    expect(record.client).toContain('egov-portal');
    expect(record.signer.subject).toContain('gateway-rsa');
    expect(Date.parse(record.hops.responseOutAt)).toBeGreaterThanOrEqual(Date.parse(record.hops.requestQueuedAt));
  });

  it('lists the records from the CLI (korpu records list) with its filters, as a table and as JSON', async () => {
    const correlationId = `e2e-oprec-cli-${Date.now()}`;
    const response = await api(stack, 'POST', '/v1/exchange', taxpayerLookup('1800000011', { correlationId }));
    expect(response.status).toBe(200);
    await recordsOf(`?correlationId=${correlationId}`, 1);
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: repoRoot,
      KORPU_ADMIN_URL: stack.adminUrl,
      KORPU_CA_FILE: path.join(repoRoot, 'certs-dev/out/ca/trust-bundle.crt'),
      KORPU_TOKEN: VIEWER,
    };
    const korpu = (...args: string[]) => promisify(execFile)(process.execPath, [path.join(repoRoot, 'apps/cli/bin/korpu.js'), ...args], { env });
    const table = await korpu('records', 'list', '--correlation-id', correlationId, '--result', 'succeeded', '--service', 'tax-service/GetTaxpayer');
    expect(table.stdout).toContain('TOTAL MS');
    expect(table.stdout).toContain(response.body.messageId);
    const json = JSON.parse((await korpu('records', 'list', '--correlation-id', correlationId, '--json')).stdout);
    expect(json.items.map((item: { messageId: string }) => item.messageId)).toEqual([response.body.messageId]);
    const none = JSON.parse((await korpu('records', 'list', '--correlation-id', correlationId, '--result', 'failed', '--json')).stdout);
    expect(none.items).toEqual([]);
  });

  it('publishes the query in the admin OpenAPI document from the very schema that validates it', async () => {
    const doc = (await httpsRequest(`${stack.adminUrl}/admin/docs-json`)).body as {
      paths: Record<string, { get?: { parameters: Array<{ name: string; in: string; schema: Record<string, unknown> }>; responses: Record<string, unknown> } }>;
    };
    const operation = doc.paths['/v1/admin/operational-records']?.get;
    expect(operation).toBeDefined();
    const published = Object.fromEntries(operation!.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p.schema]));
    const properties = LIST_OPERATIONAL_RECORDS_SCHEMA.properties as Record<string, Record<string, unknown>>;
    expect(Object.keys(published).sort()).toEqual(Object.keys(properties).sort());
    expect(published.limit).toMatchObject({ pattern: properties.limit.pattern });
    expect(Object.keys(operation!.responses)).toEqual(expect.arrayContaining(['400', '401', '403']));
  });

  it('refuses a bad query with problem+json naming each field, and anyone without a token', async () => {
    const bad = await records('?limit=5000&result=lost&from=2026-12-02&to=2026-12-01');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.code).toBe('OPERATIONAL_RECORDS_REQUEST_INVALID');
    expect(bad.body.problems).toEqual(expect.arrayContaining([expect.stringContaining('"limit"'), expect.stringContaining('"result"')]));
    expect((await records('', '')).status).toBe(401);
  });
});
