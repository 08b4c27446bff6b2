import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { newMessageId } from '@korpu/envelope';
import { loadInboundCatalogue } from '@korpu/inbound';
import { SignatureServices, createSignatureServices } from '@korpu/signature';
import { repoRoot, stopAllApps } from '@korpu/testing';
import { XROAD_PROTOCOL_VERSION, buildXRoadMessage, parseXRoadMessage, readXRoadMessage, requestHash, xroadClientFor } from '@korpu/xroad';
import { ensureDevPki } from '../../certs-dev/dev-pki';
import { copyContracts, simulator } from '../support/contracts';
import { Stack, startStack } from '../support/stack';

/**
 * The inbound direction keeps the outbound one's guarantees: every request tracked and in the tamper-evident
 * message log (received with the partner's signature, reply-sent with ours, rejected at the door), one
 * delivery per caller id however often the partner retries it, and a subsystem callback that fails for a
 * moment tried again. Apps and simulators are separate processes; the test signs its own SOAP where it must
 * repeat an xrd:id (the portal simulator makes a new one per call).
 */
const PORTAL = 'AZ/GOV/1400000001/egov-portal';
const REGISTRY = 'AZ/GOV/1400000002/population-registry';

let stack: Stack;
let contracts: ReturnType<typeof copyContracts>;
let db: Client;
const signers: Record<string, SignatureServices> = {};

beforeAll(async () => {
  contracts = copyContracts();
  // A second client with the right, to try reusing the portal's message id.
  contracts.edit('clients.json', (clients) => {
    clients.clients.find((client: { id: string }) => client.id === REGISTRY).services = ['ministry/GetPensionEntitlement'];
  });
  stack = await startStack({ simulators: ['ministry-subsystem', 'egov-portal'], partnerEndpoint: true, inboundReplyTimeoutMs: 4000, contractsDir: contracts.dir });
  db = new Client({ connectionString: stack.databaseUrl });
  await db.connect();
  const pki = await ensureDevPki(path.join(repoRoot, 'certs-dev/out'));
  for (const key of ['egov-portal-rsa', 'population-registry-rsa']) {
    signers[key] = createSignatureServices({
      trust: { caFiles: [pki.trustBundle], crlFiles: [pki.crls.root, pki.crls.intermediate], fetchCrls: false },
      keys: [{ certFile: pki.leaves[key].chain, keyFile: pki.leaves[key].key }],
    });
  }
});

afterAll(async () => {
  await db?.end();
  await stack?.stop();
  await stopAllApps();
  contracts?.remove();
});

const portal = (call: Record<string, unknown>) => simulator(stack.simulatorUrls['egov-portal'], '/_sim/call', call);
const subsystem = (route: string, body?: unknown) => simulator(stack.simulatorUrls['ministry-subsystem'], route, body);

beforeEach(async () => {
  await subsystem('/_sim/faults', { mode: 'none' });
});

async function logRows(messageId: string) {
  const { rows } = await db.query(
    `SELECT event, message_id, in_reply_to, signature_format, signature_value, signature_verification, signer_certificate, detail
       FROM message_log WHERE message_id = $1 OR in_reply_to = $1 ORDER BY seq`,
    [messageId],
  );
  return rows;
}

async function trackingOf(messageId: string) {
  const message = await db.query(`SELECT status, direction, client FROM messages WHERE message_id = $1`, [messageId]);
  const events = await db.query(`SELECT status FROM message_events WHERE message_id = $1 ORDER BY id`, [messageId]);
  return { ...message.rows[0], history: events.rows.map((row) => row.status) };
}

/** A signed GetPensionEntitlement over SOAP with the given xrd:id, as `client` signing with `key`. */
async function callSoap(id: string, fin = '5ZJBKQ2', client = PORTAL, key = 'egov-portal-rsa') {
  const catalogue = loadInboundCatalogue(path.join(contracts.dir, 'ministry'));
  const payload =
    `<p:GetPensionEntitlementRequest xmlns:p="urn:korpu:pension:entitlement"><p:Fin>${fin}</p:Fin>` +
    `<p:RequestingAgencyCode>EGOV</p:RequestingAgencyCode><p:PurposeCode>CITIZEN_SELF_SERVICE</p:PurposeCode></p:GetPensionEntitlementRequest>`;
  const xml = signers[key].soapSigner.sign(
    buildXRoadMessage(
      {
        client: xroadClientFor(client),
        service: { ...catalogue.xroadMember, subsystemCode: 'pensions', serviceCode: 'GetPensionEntitlement' },
        id,
        userId: 'AZ0000001',
        protocolVersion: XROAD_PROTOCOL_VERSION,
      },
      payload,
    ),
  );
  const response = await fetch(`${stack.partnerEndpointUrl}/soap`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', SOAPAction: '"GetPensionEntitlement"' },
    body: xml,
  });
  const text = await response.text();
  const message = parseXRoadMessage(text);
  if (message.fault) return { status: response.status, fault: message.fault };
  const verified = await signers['egov-portal-rsa'].soapVerifier.verify(text);
  const checked = readXRoadMessage(verified.document);
  return { status: response.status, payload: checked.payload, requestHashMatches: checked.headers.requestHash === requestHash(xml), id: checked.headers.id };
}

describe('inbound requests are tracked and logged like outbound ones', () => {
  it('logs a SOAP call received with the portal\'s verified signature and its reply sent with ours, in a chain the verify command accepts', async () => {
    const result = await portal({ operation: 'GetPensionEntitlement', fin: '5ZJBKQ2' });
    expect(result).toMatchObject({ httpStatus: 200, verified: true });
    const rows = await logRows(result.messageId);
    expect(rows.map((row) => row.event)).toEqual(['received', 'reply-sent']);
    expect(rows[0]).toMatchObject({ message_id: result.messageId, signature_format: 'xmldsig', signature_verification: 'verified' });
    expect(rows[0].signature_value).toContain('SignatureValue');
    expect(rows[0].signer_certificate).toContain('BEGIN CERTIFICATE');
    expect(rows[1]).toMatchObject({ in_reply_to: result.messageId, signature_format: 'xmldsig', signature_verification: 'signed' });
    expect(rows[1].signature_value).toContain('SignatureValue');
    expect(rows[1].signer_certificate).toContain('BEGIN CERTIFICATE');
    expect(rows[1].signer_certificate).not.toBe(rows[0].signer_certificate);
    expect(await trackingOf(result.messageId)).toMatchObject({ status: 'replied', direction: 'inbound', client: PORTAL, history: expect.arrayContaining(['accepted', 'replied']) });

    const verify = await promisify(execFile)(
      process.execPath,
      ['-r', '@swc-node/register', path.join(repoRoot, 'libs/message-log/src/cli/verify-message-log.cli.ts')],
      { cwd: repoRoot, env: { ...process.env, DATABASE_URL: stack.databaseUrl } },
    );
    // Exit 0 (execFile would reject otherwise), with the verdict on stderr.
    expect(verify.stderr).toMatch(/message log intact: \d+ records/);
  });

  it('logs a REST call received and its reply sent, both with JWS', async () => {
    const result = await portal({ operation: 'GetPensionEntitlement', fin: '5ZJBKQ2', transport: 'rest' });
    expect(result).toMatchObject({ httpStatus: 200, verified: true });
    const rows = await logRows(result.messageId);
    expect(rows).toMatchObject([
      { event: 'received', signature_format: 'jws', signature_verification: 'verified' },
      { event: 'reply-sent', signature_format: 'jws', signature_verification: 'signed' },
    ]);
  });

  it.each([
    ['a Body changed after signing', { tamper: 'body' }, 'SIGNATURE_TAMPERED_BODY', 'failed'],
    ['an unsigned message', { tamper: 'unsigned' }, 'SIGNATURE_MISSING', 'failed'],
    ['a signer from an untrusted CA', { tamper: 'untrusted-signer' }, 'SIGNATURE_CERT_UNTRUSTED', 'failed'],
    ['a message naming another client than its signer', { tamper: 'other-client' }, 'INBOUND_CLIENT_MISMATCH', 'verified'],
  ])('logs %s as rejected with its code, without putting it on Kafka', async (_what, tamper, code, verification) => {
    const result = await portal({ operation: 'GetPensionEntitlement', fin: '5ZJBKQ2', ...tamper });
    expect(result.httpStatus).toBe(500);
    const rows = await logRows(result.messageId);
    expect(rows.map((row) => row.event)).toEqual(['rejected']);
    expect(rows[0].detail.code).toContain(code);
    expect(rows[0].signature_verification).toBe(verification);
    expect(await trackingOf(result.messageId)).toEqual({ history: [] });
  });

  it('logs a tampered REST call as rejected with the failed JWS and its certificate', async () => {
    const result = await portal({ operation: 'GetPensionEntitlement', fin: '5ZJBKQ2', transport: 'rest', tamper: 'body' });
    expect(result.httpStatus).toBe(401);
    const rows = await logRows(result.messageId);
    expect(rows).toMatchObject([{ event: 'rejected', signature_format: 'jws', signature_verification: 'failed', detail: { code: 'SIGNATURE_INVALID' } }]);
    expect(rows[0].signer_certificate).toContain('BEGIN CERTIFICATE');
  });

  it('logs a REST call whose X-Road-UserId was changed after signing as rejected, the JWS failed', async () => {
    const result = await portal({ operation: 'GetPensionEntitlement', fin: '5ZJBKQ2', transport: 'rest', tamper: 'header' });
    expect(result.httpStatus).toBe(401);
    const rows = await logRows(result.messageId);
    expect(rows).toMatchObject([{ event: 'rejected', signature_format: 'jws', signature_verification: 'failed', detail: { code: 'SIGNATURE_JWS_BINDING_MISMATCH' } }]);
    expect(rows[0].detail.message).toContain('x-road-userid');
    expect(await trackingOf(result.messageId)).toEqual({ history: [] });
  });

  it('logs a schema violation as rejected', async () => {
    const result = await portal({ operation: 'GetPensionEntitlement', fin: 'not-a-fin' });
    const rows = await logRows(result.messageId);
    expect(rows).toMatchObject([{ event: 'rejected', signature_verification: 'verified', detail: { code: 'SCHEMA_VALIDATION_FAILED' } }]);
  });
});

describe('a partner retrying the same xrd:id', () => {
  it('gets the first reply, signed anew for its retry, and the subsystem is asked once', async () => {
    await subsystem('/_sim/reset', {});
    const id = newMessageId();
    const first = await callSoap(id);
    const again = await callSoap(id);
    expect(first).toMatchObject({ status: 200, requestHashMatches: true, id });
    expect(again).toMatchObject({ status: 200, requestHashMatches: true, id, payload: first.payload });
    expect((await subsystem('/_sim/stats')).received).toBe(1);
    expect((await trackingOf(id)).history.filter((status: string) => status === 'accepted')).toHaveLength(1);
    const rows = await logRows(id);
    expect(rows.map((row) => row.event)).toEqual(['received', 'reply-sent', 'received', 'reply-sent']);
    expect(rows[2].detail).toMatchObject({ duplicate: true });
  });

  it('waits for the first while it is in flight instead of putting a second copy on Kafka', async () => {
    await subsystem('/_sim/reset', {});
    await subsystem('/_sim/faults', { mode: 'latency', latencyMs: 1000, count: 1 });
    const id = newMessageId();
    const first = callSoap(id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const again = await callSoap(id);
    await expect(first).resolves.toMatchObject({ status: 200, requestHashMatches: true });
    expect(again).toMatchObject({ status: 200, requestHashMatches: true, payload: (await first).payload });
    const stats = await subsystem('/_sim/stats');
    expect(stats.received).toBe(1);
    expect((await trackingOf(id)).history.filter((status: string) => status === 'accepted')).toHaveLength(1);
  });

  it('refuses another client reusing the id with MESSAGE_ID_CONFLICT', async () => {
    const id = newMessageId();
    expect(await callSoap(id)).toMatchObject({ status: 200 });
    const intruder = await callSoap(id, '5ZJBKQ2', REGISTRY, 'population-registry-rsa');
    expect(intruder).toMatchObject({ status: 500, fault: { faultcode: 'Client', code: 'MESSAGE_ID_CONFLICT' } });
    expect((await logRows(id)).map((row) => row.event)).toEqual(['received', 'reply-sent', 'rejected']);
  });
});

describe('subsystem callback delivery', () => {
  it('tries again after a 503 and still answers', async () => {
    await subsystem('/_sim/faults', { mode: 'server-error', count: 1 });
    const result = await portal({ operation: 'GetPensionEntitlement', fin: '5ZJBKQ4' });
    expect(result).toMatchObject({ httpStatus: 200, verified: true });
    expect(result.payload).toContain('GetPensionEntitlementResponse');
    expect((await subsystem('/_sim/stats')).fault).toMatchObject({ mode: 'none' });
  });

  it('records a subsystem that stays down as failed', async () => {
    await subsystem('/_sim/faults', { mode: 'server-error' });
    const result = await portal({ operation: 'GetPensionEntitlement', fin: '5ZJBKQ5' });
    expect(result.fault).toMatchObject({ faultcode: 'Server', code: 'INBOUND_SUBSYSTEM_FAILED' });
    expect(await trackingOf(result.messageId)).toMatchObject({ status: 'failed' });
    expect((await logRows(result.messageId)).map((row) => row.event)).toEqual(expect.arrayContaining(['received', 'failed']));
  });
});
