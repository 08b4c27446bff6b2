import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { newMessageId } from '@korpu/envelope';
import { DeadLetterHeader } from '@korpu/failed-messages';
import { loadInboundCatalogue } from '@korpu/inbound';
import { TopicNames } from '@korpu/messaging';
import { SignatureServices, createSignatureServices } from '@korpu/signature';
import { repoRoot, stopAllApps, testKafkaSasl } from '@korpu/testing';
import { XROAD_PROTOCOL_VERSION, buildXRoadMessage, parseXRoadMessage, xroadClientFor } from '@korpu/xroad';
import { ensureDevPki } from '../../certs-dev/dev-pki';
import { simulator } from '../support/contracts';
import { Stack, startStack, waitFor } from '../support/stack';

/**
 * Hostile input at the partner endpoint (GitHub issue #10): nothing crashes, nothing leaks, nothing is lost,
 * nothing is silently dropped. A SOAP caller gets a SOAP Fault whatever refuses it; a document too deep is
 * refused while it is read; refusals are logged as bounded metadata, rate-limited per source and counted; a
 * caller's id is checked by the one id rule before anything reaches Kafka; a malformed inbound record is
 * dead-lettered with a code. Apps are separate processes; the test talks HTTP and Kafka only.
 */
const PORTAL = 'AZ/GOV/1400000001/egov-portal';
const MAX_BODY_BYTES = 65536;
const REFUSAL_LOG_PER_MINUTE = 40;

let stack: Stack;
let db: Client;
let signer: SignatureServices;

beforeAll(async () => {
  stack = await startStack({
    simulators: ['ministry-subsystem'],
    partnerEndpoint: true,
    inboundReplyTimeoutMs: 4000,
    env: { MAX_BODY_BYTES: String(MAX_BODY_BYTES), INBOUND_REFUSAL_LOG_PER_MINUTE: String(REFUSAL_LOG_PER_MINUTE) },
  });
  db = new Client({ connectionString: stack.databaseUrl });
  await db.connect();
  const pki = await ensureDevPki(path.join(repoRoot, 'certs-dev/out'));
  signer = createSignatureServices({
    trust: { caFiles: [pki.trustBundle], crlFiles: [pki.crls.root, pki.crls.intermediate], fetchCrls: false },
    keys: [{ certFile: pki.leaves['egov-portal-rsa'].chain, keyFile: pki.leaves['egov-portal-rsa'].key }],
  });
});

afterAll(async () => {
  await db?.end();
  await stack?.stop();
  await stopAllApps();
});

const subsystem = (route: string, body?: unknown) => simulator(stack.simulatorUrls['ministry-subsystem'], route, body);

async function postSoap(body: string | Buffer, contentType = 'text/xml; charset=utf-8', route = '/soap') {
  const response = await fetch(`${stack.partnerEndpointUrl}${route}`, { method: 'POST', headers: { 'content-type': contentType }, body });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text, fault: text.includes('Fault') ? parseXRoadMessage(text).fault : undefined };
}

/** A signed GetPensionEntitlement as the portal, with the given xrd:id. */
function signedSoap(id: string, fin = '5ZJBKQ2'): string {
  const catalogue = loadInboundCatalogue(path.join(repoRoot, 'contracts/ministry'));
  const payload =
    `<p:GetPensionEntitlementRequest xmlns:p="urn:korpu:pension:entitlement"><p:Fin>${fin}</p:Fin>` +
    `<p:RequestingAgencyCode>EGOV</p:RequestingAgencyCode><p:PurposeCode>CITIZEN_SELF_SERVICE</p:PurposeCode></p:GetPensionEntitlementRequest>`;
  return signer.soapSigner.sign(
    buildXRoadMessage(
      {
        client: xroadClientFor(PORTAL),
        service: { ...catalogue.xroadMember, subsystemCode: 'pensions', serviceCode: 'GetPensionEntitlement' },
        id,
        userId: 'AZ0000001',
        protocolVersion: XROAD_PROTOCOL_VERSION,
      },
      payload,
    ),
  );
}

async function metric(name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${stack.partnerEndpointUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)));
  return line ? Number(line.split(' ').pop()) : 0;
}

async function rejectedRows(since: number) {
  const { rows } = await db.query(`SELECT seq, message_id, payload, detail FROM message_log WHERE event = 'rejected' AND seq > $1 ORDER BY seq`, [since]);
  return rows;
}

async function lastSeq(): Promise<number> {
  const { rows } = await db.query(`SELECT coalesce(max(seq), 0)::int AS seq FROM message_log`);
  return rows[0].seq;
}

const deepXml = (depth: number) => `${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`;

describe('a SOAP caller always gets a SOAP Fault', () => {
  it.each([
    ['an oversized request', () => postSoap(`<x>${'y'.repeat(MAX_BODY_BYTES + 10)}</x>`), 'PAYLOAD_TOO_LARGE'],
    ['a request of a content type nobody parses', () => postSoap(Buffer.from([1, 2, 3]), 'application/octet-stream'), 'UNSUPPORTED_MEDIA_TYPE'],
    ['malformed JSON sent to the SOAP address', () => postSoap('{not json', 'application/json'), 'REQUEST_MALFORMED'],
    ['a path under /soap that does not exist', () => postSoap('<x/>', 'text/xml', '/soap/nothing-here'), 'NOT_FOUND'],
    ['malformed XML', () => postSoap('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'), 'SIGNATURE_XML_MALFORMED'],
  ])('answers %s with a Client SOAP Fault carrying the stable code', async (_what, send, code) => {
    const result = await send();
    expect(result.status).toBe(500);
    expect(result.contentType).toContain('text/xml');
    expect(result.fault).toMatchObject({ faultcode: 'Client', code });
  });

  it('still answers a REST caller with problem+json', async () => {
    const response = await fetch(`${stack.partnerEndpointUrl}/rest/v1/GetPensionEntitlement`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: `<x>${'y'.repeat(MAX_BODY_BYTES + 10)}</x>`,
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(((await response.json()) as { code: string }).code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('a document too complex to read', () => {
  it('is refused while it is read, with a Client SOAP Fault, in well under the time a full parse takes', async () => {
    const started = performance.now();
    // 9,000 levels: 63 KB, within MAX_BODY_BYTES, far beyond XML_MAX_DEPTH (64).
    const result = await postSoap(deepXml(9000));
    const elapsed = performance.now() - started;
    expect(result.fault).toMatchObject({ faultcode: 'Client', code: 'SIGNATURE_XML_TOO_COMPLEX' });
    expect(elapsed).toBeLessThan(500);
  });
});

describe('a caller-chosen id outside the one id rule', () => {
  const longId = `A${'x'.repeat(3000)}`;

  it('is refused over SOAP with MESSAGE_ID_INVALID before it reaches Kafka, and the refusal is logged', async () => {
    await subsystem('/_sim/reset', {});
    const since = await lastSeq();
    const result = await postSoap(signedSoap(longId));
    expect(result.fault).toMatchObject({ faultcode: 'Client', code: 'MESSAGE_ID_INVALID' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await subsystem('/_sim/stats')).received).toBe(0);
    const rows = await rejectedRows(since);
    expect(rows).toHaveLength(1);
    expect(rows[0].detail.code).toBe('MESSAGE_ID_INVALID');
    expect(rows[0].message_id).not.toBe(longId);
  });

  it('is refused over REST with 400 MESSAGE_ID_INVALID', async () => {
    const response = await fetch(`${stack.partnerEndpointUrl}/rest/v1/GetPensionEntitlement`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml', 'x-road-client': PORTAL, 'x-road-id': 'bad id with spaces' },
      body: '<p:GetPensionEntitlementRequest xmlns:p="urn:korpu:pension:entitlement"/>',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe('MESSAGE_ID_INVALID');
  });

  it('a valid id still goes through', async () => {
    const result = await postSoap(signedSoap(newMessageId()));
    expect(result.status).toBe(200);
  });
});

describe('a malformed record on an inbound topic', () => {
  it('is dead-lettered with a code, not skipped', async () => {
    const topics = new TopicNames(stack.env.KAFKA_TOPIC_PREFIX);
    const kafka = new Kafka({ clientId: 'hostile-e2e', brokers: stack.env.KAFKA_BROKERS.split(','), sasl: testKafkaSasl('admin'), logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId: `hostile-e2e-${newMessageId()}` });
    const key = `garbage-${newMessageId()}`;
    const seen: Array<{ key?: string; headers: Record<string, string> }> = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: topics.deadLetter, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]));
          seen.push({ key: message.key?.toString(), headers });
        },
      });
      await producer.connect();
      await producer.send({ topic: topics.inbound('pensions'), messages: [{ key, value: 'not an envelope', headers: { 'korpu-client': 'x' } }] });
      const dead = await waitFor('the dead-lettered record', async () => seen.find((record) => record.key === key), 30000);
      expect(dead.headers[DeadLetterHeader.ORIGINAL_TOPIC]).toBe(topics.inbound('pensions'));
      expect(dead.headers[DeadLetterHeader.ERROR_CODE]).toBe('ENVELOPE_MALFORMED');
      expect(Number(dead.headers[DeadLetterHeader.ATTEMPTS])).toBe(1);
    } finally {
      await producer.disconnect();
      await consumer.disconnect();
    }
  });
});

describe('refusals at the door', () => {
  it('are logged as bounded metadata: size and digest of the body, never the whole body', async () => {
    const since = await lastSeq();
    const body = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><x>${'z'.repeat(60000)}</x></soap:Body></soap:Envelope>`;
    const result = await postSoap(body);
    expect(result.fault).toMatchObject({ faultcode: 'Client' });
    const rows = await rejectedRows(since);
    expect(rows).toHaveLength(1);
    expect(rows[0].detail.body).toMatchObject({ bytes: Buffer.byteLength(body), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // At most 256 bytes of the body, encrypted at rest: `v1.` + base64(12-byte IV, ≤ 256 bytes, 16-byte tag) ≤ 383 characters.
    expect((rows[0].payload ?? '').length).toBeLessThanOrEqual(383);
  });

  it('are recorded and counted also when the HTTP layer refuses before any route runs (size, content type, unknown path)', async () => {
    const since = await lastSeq();
    const codes = ['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'NOT_FOUND'];
    const before = await Promise.all(codes.map((code) => metric('korpu_inbound_refusals_total', `{code="${code}"}`)));
    expect((await postSoap(`<x>${'y'.repeat(MAX_BODY_BYTES + 10)}</x>`)).fault).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect((await postSoap(Buffer.from([1, 2, 3]), 'application/octet-stream')).fault).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect((await postSoap('<x/>', 'text/xml', '/soap/nowhere')).fault).toMatchObject({ code: 'NOT_FOUND' });
    const after = await Promise.all(codes.map((code) => metric('korpu_inbound_refusals_total', `{code="${code}"}`)));
    expect(after).toEqual(before.map((count) => count + 1));
    // The record is written after the answer (the filter does not make the caller wait for the log).
    const rows = await waitFor('the three refusals in the message log', async () => {
      const found = await rejectedRows(since);
      return found.length >= codes.length ? found : undefined;
    });
    expect(rows.map((row) => row.detail.code).sort()).toEqual([...codes].sort());
    expect(rows.every((row) => row.detail.source !== undefined && row.detail.body === undefined)).toBe(true);
  });

  it('are rate-limited per source address and counted in /metrics, logged or not', async () => {
    const since = await lastSeq();
    const before = await metric('korpu_inbound_refusals_total', '{code="SIGNATURE_MISSING"}');
    const unsigned = '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><x/></soap:Body></soap:Envelope>';
    const attempts = REFUSAL_LOG_PER_MINUTE + 20;
    for (let i = 0; i < attempts; i++) expect((await postSoap(unsigned)).fault).toMatchObject({ code: 'SIGNATURE_MISSING' });
    expect(await metric('korpu_inbound_refusals_total', '{code="SIGNATURE_MISSING"}')).toBe(before + attempts);
    const logged = (await rejectedRows(since)).length;
    expect(logged).toBeLessThanOrEqual(REFUSAL_LOG_PER_MINUTE);
    expect(await metric('korpu_inbound_refusals_unlogged_total')).toBeGreaterThanOrEqual(attempts - logged);
  });
});
