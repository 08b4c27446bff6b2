import { stopAllApps } from '@korpu/testing';
import { simulator } from '../support/contracts';
import { Stack, startStack } from '../support/stack';

/**
 * The e-Government portal asks the ministry: portal simulator ──signed SOAP/REST──▶ partner endpoint ──Kafka──▶
 * callback delivery ──HTTP──▶ ministry subsystem simulator, and the signed reply back. All separate processes.
 */
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    simulators: ['ministry-subsystem', 'egov-portal'],
    partnerEndpoint: true,
    inboundReplyTimeoutMs: 3000,
  });
});

afterAll(async () => {
  await stack?.stop();
  await stopAllApps();
});

const portal = (call: Record<string, unknown>) => simulator(stack.simulatorUrls['egov-portal'], '/_sim/call', call);
const subsystem = (path: string, body?: unknown) => simulator(stack.simulatorUrls['ministry-subsystem'], path, body);

beforeEach(async () => {
  await subsystem('/_sim/faults', { mode: 'none' });
});

describe('portal → partner endpoint → Kafka → subsystem callback → signed reply', () => {
  it('answers GetPensionEntitlement over signed SOAP with the subsystem\'s reply, signed and bound to the request', async () => {
    const result = await portal({ operation: 'GetPensionEntitlement', fin: '5ZJBKQ2' });
    expect(result).toMatchObject({ httpStatus: 200, verified: true, requestHashMatches: true });
    expect(result.signer).toContain('gateway-rsa');
    expect(result.payload).toContain('<p:Entitled>true</p:Entitled>');
    expect(result.replyHeaders).toMatchObject({ id: result.messageId, protocolVersion: '4.0', service: { serviceCode: 'GetPensionEntitlement' } });
  });

  it('answers GetDisabilityStatus over signed SOAP', async () => {
    const result = await portal({ operation: 'GetDisabilityStatus', fin: '5ZJBKQ2' });
    expect(result).toMatchObject({ httpStatus: 200, verified: true, requestHashMatches: true });
    expect(result.payload).toContain('GetDisabilityStatusResponse');
  });

  it('answers the REST equivalent with a JWS-signed reply', async () => {
    const result = await portal({ operation: 'GetPensionEntitlement', fin: '5ZJBKQ2', transport: 'rest' });
    expect(result).toMatchObject({ httpStatus: 200, verified: true });
    expect(result.payload).toContain('GetPensionEntitlementResponse');
  });

  it('counts answered calls in the HTTP metrics under the ministry service they called', async () => {
    const metrics = await (await fetch(`${stack.partnerEndpointUrl}/metrics`)).text();
    const count = (route: string, service: string) =>
      [...metrics.matchAll(new RegExp(`^korpu_http_requests_total\\{app="partner-endpoint",route="${route}",method="POST",client="[^"]*",service="${service}",status="200"\\} (\\d+)$`, 'gm'))]
        .reduce((sum, match) => sum + Number(match[1]), 0);
    // The SOAP and REST calls of the tests above were answered: each is labelled with the ministry's service.
    expect(count('/soap', 'ministry/GetPensionEntitlement')).toBeGreaterThanOrEqual(1);
    expect(count('/soap', 'ministry/GetDisabilityStatus')).toBeGreaterThanOrEqual(1);
    expect(count('/rest/v1/:operation', 'ministry/GetPensionEntitlement')).toBeGreaterThanOrEqual(1);
  });

  it('publishes the WSDL at ?wsdl with the address it was fetched from', async () => {
    const wsdl = await (await fetch(`${stack.partnerEndpointUrl}/soap?wsdl`)).text();
    expect(wsdl).toContain('<wsdl:operation name="GetPensionEntitlement">');
    expect(wsdl).toContain('<wsdl:operation name="GetDisabilityStatus">');
    expect(wsdl).toContain(`location="${stack.partnerEndpointUrl}/soap"`);
  });

  it.each([
    ['a Body changed after signing', { tamper: 'body' }, 'SIGNATURE_TAMPERED_BODY'],
    ['an unsigned message', { tamper: 'unsigned' }, 'SIGNATURE_MISSING'],
    ['a signer from an untrusted CA', { tamper: 'untrusted-signer' }, 'SIGNATURE_CERT_UNTRUSTED'],
    ['a message naming another client than its signer', { tamper: 'other-client' }, 'INBOUND_CLIENT_MISMATCH'],
    ['a registered client without the right', { as: { client: 'AZ/GOV/1400000002/population-registry', key: 'population-registry-rsa' } }, 'ACCESS_DENIED'],
  ])('refuses %s with a Client SOAP Fault carrying the stable code', async (_what, tamper, code) => {
    const result = await portal({ operation: 'GetPensionEntitlement', fin: '5ZJBKQ2', ...tamper });
    expect(result.httpStatus).toBe(500);
    expect(result.fault).toMatchObject({ faultcode: 'Client', code });
  });

  it('refuses a payload that breaks the request schema', async () => {
    const result = await portal({ operation: 'GetPensionEntitlement', fin: 'not-a-fin' });
    expect(result.fault).toMatchObject({ faultcode: 'Client', code: 'SCHEMA_VALIDATION_FAILED' });
  });

  it.each([
    ['tamper', { tamper: 'body' }, 401, 'SIGNATURE_INVALID'],
    ['unsigned', { tamper: 'unsigned' }, 401, 'SIGNATURE_MISSING'],
    ['X-Road-UserId changed after signing', { tamper: 'header' }, 401, 'SIGNATURE_JWS_BINDING_MISMATCH'],
    ['a signer from an untrusted CA', { tamper: 'untrusted-signer' }, 401, 'SIGNATURE_CERT_UNTRUSTED'],
    ['a message naming (and signing) another client than its signer', { tamper: 'other-client' }, 401, 'INBOUND_CLIENT_MISMATCH'],
  ])('refuses a REST call (%s) with problem+json', async (_what, tamper, status, code) => {
    const result = await portal({ operation: 'GetPensionEntitlement', fin: '5ZJBKQ2', transport: 'rest', ...tamper });
    expect(result.httpStatus).toBe(status);
    expect(result.contentType).toContain('application/problem+json');
    expect(result.problem.code).toBe(code);
  });

  it.each([
    ['server-error', { mode: 'server-error' }, 'Server', 'INBOUND_SUBSYSTEM_FAILED'],
    ['drop-connection', { mode: 'drop-connection' }, 'Server', 'INBOUND_SUBSYSTEM_FAILED'],
    ['invalid-schema', { mode: 'invalid-schema' }, 'Server', 'INBOUND_REPLY_INVALID'],
    ['malformed-body', { mode: 'malformed-body' }, 'Server', 'INBOUND_REPLY_INVALID'],
    ['latency beyond the caller\'s timeout', { mode: 'latency', latencyMs: 4000, count: 1 }, 'Server', 'INBOUND_REPLY_TIMEOUT'],
  ])('answers a subsystem failure (%s) with a Server SOAP Fault', async (_what, fault, faultcode, code) => {
    await subsystem('/_sim/faults', fault);
    const result = await portal({ operation: 'GetPensionEntitlement', fin: '5ZJBKQ3' });
    expect(result.httpStatus).toBe(500);
    expect(result.fault).toMatchObject({ faultcode, code });
  });
});
