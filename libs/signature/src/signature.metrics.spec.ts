import { MetricsRegistry, ReadinessRegistry } from '@korpu/observability';
import { SignatureMetrics } from './signature.metrics';
import { keyRingOf, testPki, trustStoreOf } from './testing/test-pki';

describe('SignatureMetrics', () => {
  it('publishes days until each key-ring and trust-store certificate expires and until each CRL nextUpdate', async () => {
    const pki = await testPki();
    const metrics = new MetricsRegistry();
    new SignatureMetrics(trustStoreOf(pki), keyRingOf(pki, 'gateway-rsa'), undefined, metrics).onModuleInit();
    const text = await metrics.render();
    const keyRing = /korpu_certificate_expiry_days\{store="key-ring",subject="[^"]*gateway[^"]*",serial="[0-9A-F]+"\} ([\d.]+)/i.exec(text);
    expect(keyRing).not.toBeNull();
    expect(Number(keyRing![1])).toBeGreaterThan(30);
    expect(text).toMatch(/korpu_certificate_expiry_days\{store="trust-store",subject="[^"]+",serial="[0-9A-F]+"\} [\d.]+/i);
    expect(text).toMatch(/korpu_crl_next_update_days\{issuer="[^"]+",source="file"\} [\d.]+/);
  });

  it('is ready with fresh material, not with an expired signing certificate or a CRL past its nextUpdate', async () => {
    const pki = await testPki();
    const readiness = new ReadinessRegistry();
    new SignatureMetrics(trustStoreOf(pki), keyRingOf(pki, 'gateway-rsa'), readiness).onModuleInit();
    expect(await readiness.evaluate()).toEqual({ ready: true, checks: { 'trust-material': 'up' } });

    const expired = new SignatureMetrics(trustStoreOf(pki), keyRingOf(pki, 'expired-rsa'));
    await expect(expired.requireFresh()).rejects.toThrow(/key-ring certificate .* expired/);

    const fresh = new SignatureMetrics(trustStoreOf(pki), keyRingOf(pki, 'gateway-rsa'));
    await expect(fresh.requireFresh(Date.now() + 400 * 86_400_000)).rejects.toThrow(/past its nextUpdate/);
  });
});
