import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { repoRoot, stopAllApps } from '@korpu/testing';
import { DevPkiLeaf, DevPkiManifest, ensureDevPki } from '../../certs-dev/dev-pki';
import { copyContracts, simulator } from '../support/contracts';
import { Stack, api, startStack, waitFor } from '../support/stack';

/**
 * Mutual TLS over real TLS connections, both directions, every party a separate process:
 * - inbound: portal simulator ──HTTPS + client certificate──▶ partner endpoint (PARTNER_ENDPOINT_TLS=required),
 *   which takes the caller's identity from the certificate (contracts/clients.json `certificates.tls`);
 * - outbound: gateway → Kafka → dispatcher ──HTTPS + the gateway's client certificate──▶ tax service (REST) and
 *   population registry (SOAP) simulators that refuse, in the handshake, callers without a trusted certificate.
 */
const PORTAL = 'AZ/GOV/1400000001/egov-portal';
const POPULATION_REGISTRY = 'AZ/GOV/1400000002/population-registry';

let stack: Stack;
let contracts: ReturnType<typeof copyContracts>;
let pki: DevPkiManifest;

/** A JSON call over HTTPS with a client certificate of our choosing (the plain fetch cannot present one). */
function httpsCall(
  url: string,
  options: { method?: string; body?: unknown; ca?: string; client?: DevPkiLeaf } = {},
): Promise<{ status: number; headers: Record<string, unknown>; text: string; json: () => ReturnType<typeof JSON.parse> }> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const request = https.request(
      url,
      {
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        ca: fs.readFileSync(options.ca ?? pki.trustBundle),
        ...(options.client ? { cert: fs.readFileSync(options.client.chain), key: fs.readFileSync(options.client.key) } : {}),
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        agent: false,
        timeout: 10000,
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json: () => JSON.parse(text) }));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', reject);
    request.end(body);
  });
}

beforeAll(async () => {
  pki = await ensureDevPki(path.join(repoRoot, 'certs-dev/out'));
  contracts = copyContracts();
  // The TLS client certificates (<party>-tls) identify their party at the partner endpoint (clients.json certificates.tls).
  contracts.edit('clients.json', (file) => {
    const client = (id: string) => file.clients.find((c: { id: string }) => c.id === id);
    client('MLSP/pensions').services.push('tax-service-no-cert/GetTaxpayer', 'tax-service-wrong-ca/GetTaxpayer');
  });
  const gatewayTls = { ca: pki.trustBundle, certificate: pki.tlsClients.gateway.chain, key: pki.tlsClients.gateway.key };
  const failFast = (partner: { timeoutMs: number; retry: Record<string, unknown> }) => {
    partner.timeoutMs = 3000;
    partner.retry = { ...partner.retry, attempts: 2, initialDelayMs: 200, maxDelayMs: 200, jitter: 0 };
  };
  // The simulators' ports are only known at start: the stack's PARTNER_ENDPOINTS puts https://127.0.0.1:<port> in place of these URLs.
  contracts.edit('tax-service/partner.json', (partner) => {
    partner.endpoint = { url: 'https://127.0.0.1:7102', tls: gatewayTls };
    failFast(partner);
  });
  contracts.edit('population-registry/partner.json', (partner) => {
    partner.endpoint = { url: 'https://127.0.0.1:7101/soap', tls: gatewayTls };
    failFast(partner);
  });
  // The same tax service, misconfigured on our side: no client certificate; a CA that did not issue its server certificate.
  const variants: Record<string, Record<string, string>> = {
    'tax-service-no-cert': { ca: pki.trustBundle },
    'tax-service-wrong-ca': { ...gatewayTls, ca: pki.untrustedCa.cert },
  };
  for (const [id, tls] of Object.entries(variants)) {
    fs.cpSync(path.join(contracts.dir, 'tax-service'), path.join(contracts.dir, id), { recursive: true });
    contracts.edit(`${id}/partner.json`, (partner) => {
      partner.id = id;
      partner.endpoint = { url: 'https://127.0.0.1:7102', tls };
      failFast(partner);
    });
  }
  stack = await startStack({
    exchangeTimeoutMs: 8000,
    simulators: ['tax-service', 'population-registry', 'ministry-subsystem', 'egov-portal'],
    simulatorTls: { 'tax-service': 'required', 'population-registry': 'required' },
    partnerEndpoint: true,
    partnerEndpointTls: 'required',
    inboundReplyTimeoutMs: 5000,
    contractsDir: contracts.dir,
    extraPartners: { 'tax-service-no-cert': 'tax-service', 'tax-service-wrong-ca': 'tax-service' },
  });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  await stopAllApps();
  contracts?.remove();
});

const portal = (call: Record<string, unknown>) => simulator(stack.simulatorUrls['egov-portal'], '/_sim/call', call);
/** The test's own control calls to a simulator that requires a client certificate. */
const controlCall = async (name: 'tax-service' | 'population-registry', route: string, body?: unknown) =>
  (await httpsCall(`${stack.simulatorUrls[name]}${route}`, { body, client: pki.tlsClients['ministry-subsystem'] })).json();

describe('inbound: portal → partner endpoint over HTTPS with client certificates (PARTNER_ENDPOINT_TLS=required)', () => {
  it('serves HTTPS only, with the dev server certificate for 127.0.0.1', async () => {
    expect(stack.partnerEndpointUrl).toMatch(/^https:\/\//);
    await expect(fetch(`${stack.partnerEndpointUrl!.replace('https:', 'http:')}/ready`)).rejects.toThrow();
    const wsdl = await httpsCall(`${stack.partnerEndpointUrl}/soap?wsdl`);
    expect(wsdl.status).toBe(200);
    expect(wsdl.text).toContain(`location="${stack.partnerEndpointUrl}/soap"`);
  });

  it('accepts a signed SOAP call over HTTPS with the portal\'s client certificate and answers it signed', async () => {
    const result = await portal({ operation: 'GetPensionEntitlement', fin: '5ZJBKQ2', tls: 'portal' });
    expect(result).toMatchObject({ httpStatus: 200, verified: true, requestHashMatches: true, client: PORTAL });
    expect(result.payload).toContain('<p:Entitled>true</p:Entitled>');
  });

  it('accepts the REST equivalent over HTTPS with the portal\'s client certificate', async () => {
    const result = await portal({ operation: 'GetPensionEntitlement', fin: '5ZJBKQ2', transport: 'rest', tls: 'portal' });
    expect(result).toMatchObject({ httpStatus: 200, verified: true });
    expect(result.payload).toContain('GetPensionEntitlementResponse');
  });

  it.each([
    ['without a client certificate', 'none', 'INBOUND_CLIENT_UNAUTHENTICATED', /TLS client certificate is required/],
    ['with a client certificate from the untrusted CA', 'untrusted', 'INBOUND_CLIENT_UNAUTHENTICATED', /not trusted/],
    ['with the TLS certificate of another client than the signer', 'other-client', 'INBOUND_CLIENT_MISMATCH', /connection belongs to AZ\/GOV\/1400000002\/population-registry/],
  ])('refuses a SOAP call %s with a Client SOAP Fault (%s)', async (_what, tls, code, message) => {
    const result = await portal({ operation: 'GetPensionEntitlement', fin: '5ZJBKQ2', tls });
    expect(result.httpStatus).toBe(500);
    expect(result.fault).toMatchObject({ faultcode: 'Client', code });
    expect(result.fault.faultstring).toMatch(message);
  });

  it.each([
    ['without a client certificate', 'none', 'INBOUND_CLIENT_UNAUTHENTICATED'],
    ['with a client certificate from the untrusted CA', 'untrusted', 'INBOUND_CLIENT_UNAUTHENTICATED'],
    ['with the TLS certificate of another client than the signer', 'other-client', 'INBOUND_CLIENT_MISMATCH'],
  ])('refuses a REST call %s with problem+json 401 (%s)', async (_what, tls, code) => {
    const result = await portal({ operation: 'GetPensionEntitlement', fin: '5ZJBKQ2', transport: 'rest', tls });
    expect(result.httpStatus).toBe(401);
    expect(result.contentType).toContain('application/problem+json');
    expect(result.problem.code).toBe(code);
  });

  it('refuses a message claiming (and signed by) another client than the one its TLS certificate identifies', async () => {
    // TLS: the portal's certificate; message: signed by the population registry and naming it.
    const result = await portal({
      operation: 'GetPensionEntitlement',
      fin: '5ZJBKQ2',
      tls: 'portal',
      as: { client: POPULATION_REGISTRY, key: 'population-registry-rsa' },
    });
    expect(result.fault).toMatchObject({ faultcode: 'Client', code: 'INBOUND_CLIENT_MISMATCH' });
    expect(result.fault.faultstring).toContain(`connection belongs to ${PORTAL}`);
  });
});

describe('outbound: dispatcher → partner simulators over HTTPS with the gateway\'s client certificate', () => {
  const getTaxpayer = (service: string, voen: string) => ({ service: `${service}/GetTaxpayer`, payload: { voen } });

  it('refuses, in the handshake, a caller without a client certificate (the simulators\' side of the contract)', async () => {
    await expect(httpsCall(`${stack.simulatorUrls['tax-service']}/_sim/stats`)).rejects.toMatchObject({
      code: expect.stringMatching(/^(ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED|ECONNRESET|EPROTO)$/),
    });
    expect((await httpsCall(`${stack.simulatorUrls['tax-service']}/_sim/stats`, { client: pki.tlsClients['ministry-subsystem'] })).status).toBe(200);
  });

  it('exchanges with the REST tax service over mutual TLS, presenting the gateway\'s TLS certificate', async () => {
    await controlCall('tax-service', '/_sim/reset', {});
    const response = await api(stack, 'POST', '/v1/exchange', getTaxpayer('tax-service', '1400057421'));
    expect(response.status).toBe(200);
    expect(response.body.payload).toMatchObject({ voen: '1400057421', taxpayerKind: 'LEGAL_ENTITY' });
    const stats = await controlCall('tax-service', '/_sim/stats');
    expect(stats.received).toBe(1);
    expect(stats.tlsClients['gateway-tls']).toBe(1);
  });

  it('exchanges with the SOAP population registry over mutual TLS', async () => {
    await controlCall('population-registry', '/_sim/reset', {});
    const response = await api(stack, 'POST', '/v1/exchange', {
      service: 'population-registry/GetPerson',
      payload: '<GetPersonRequest xmlns="urn:korpu:population:person"><Fin>5ABC123</Fin></GetPersonRequest>',
    });
    expect(response.status).toBe(200);
    expect(response.body.payload).toContain('<Fin>5ABC123</Fin>');
    expect((await controlCall('population-registry', '/_sim/stats')).tlsClients['gateway-tls']).toBe(1);
  });

  it.each([
    ['without a client certificate, the partner refuses the handshake', 'tax-service-no-cert'],
    ['with a CA that did not issue the partner\'s server certificate, we refuse the partner', 'tax-service-wrong-ca'],
  ])('fails the message with PARTNER_TLS_FAILED at once: %s', async (_what, partner) => {
    const before = await controlCall('tax-service', '/_sim/stats');
    const response = await api(stack, 'POST', '/v1/exchange', getTaxpayer(partner, '1400057421'));
    expect(response.status).toBe(502);
    expect(response.body).toMatchObject({ code: 'EXCHANGE_FAILED', cause: 'PARTNER_TLS_FAILED' });
    const record = await waitFor('the failed status', async () => {
      const current = await api(stack, 'GET', `/v1/messages/${response.body.messageId}`);
      return current.body.status === 'failed' ? current.body : undefined;
    });
    expect(JSON.stringify(record)).toContain('PARTNER_TLS_FAILED');
    // Nothing reached the partner's application: the connection never got past TLS.
    expect((await controlCall('tax-service', '/_sim/stats')).received).toBe(before.received);
  });
});
