import { stopAllApps } from '@korpu/testing';
import { simulator } from '../support/contracts';
import { Stack, startStack } from '../support/stack';

/**
 * Two versions of one message type end to end: the portal declares v1 (deprecated) or v2 of
 * pension-entitlement-request, and each request is validated against the version it declares.
 */
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ simulators: ['ministry-subsystem', 'egov-portal'], partnerEndpoint: true, inboundReplyTimeoutMs: 5000 });
});

afterAll(async () => {
  await stack?.stop();
  await stopAllApps();
});

const portal = (call: Record<string, unknown>) => simulator(stack.simulatorUrls['egov-portal'], '/_sim/call', call);

describe('versioned schemas end to end (portal → partner endpoint → subsystem)', () => {
  it('accepts v2 with its new element, validated against v2', async () => {
    const result = await portal({ operation: 'GetPensionEntitlement', fin: '5ZJBKQ2', schemaVersion: '2', paymentHistory: true });
    expect(result).toMatchObject({ httpStatus: 200, verified: true });
    expect(result.deprecation).toBeNull();
  });

  it('accepts v1 with a deprecation header, and counts the use in the metrics', async () => {
    const result = await portal({ operation: 'GetPensionEntitlement', fin: '5ZJBKQ2', schemaVersion: '1' });
    expect(result).toMatchObject({ httpStatus: 200, verified: true, deprecation: 'true' });
    const metrics = await (await fetch(`${stack.partnerEndpointUrl}/metrics`)).text();
    expect(metrics).toMatch(/korpu_schema_deprecated_version_uses_total\{type="pension-entitlement-request",version="1"\} [1-9]/);
  });

  it('refuses v2\'s element in a request that declares v1, with a Client fault naming the schema violation', async () => {
    const result = await portal({ operation: 'GetPensionEntitlement', fin: '5ZJBKQ2', schemaVersion: '1', paymentHistory: true });
    expect(result.fault).toMatchObject({ faultcode: 'Client', code: 'SCHEMA_VALIDATION_FAILED' });
  });

  it('refuses a version the type does not have', async () => {
    const result = await portal({ operation: 'GetPensionEntitlement', fin: '5ZJBKQ2', schemaVersion: '7' });
    expect(result.fault).toMatchObject({ faultcode: 'Client', code: 'SCHEMA_UNKNOWN_VERSION' });
  });
});
