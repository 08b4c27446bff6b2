import { PartnerErrorCode, PartnerException } from '@korpu/adapters';
import { MetricsRegistry } from '@korpu/observability';
import { DeliveryMetrics, failedExchangeOutcome } from './delivery.metrics';

describe('DeliveryMetrics', () => {
  it('counts exchanges by partner, operation and outcome, and tracks partner availability', async () => {
    const registry = new MetricsRegistry();
    const metrics = new DeliveryMetrics(registry);
    metrics.startExchange('tax-service', 'GetTaxpayer')('unreachable');
    metrics.startExchange('tax-service', 'GetTaxpayer')('unreachable');
    expect(await registry.value('korpu_partner_consecutive_failures', { partner: 'tax-service' })).toBe(2);
    expect(await registry.value('korpu_partner_last_success_timestamp_seconds', { partner: 'tax-service' })).toBeUndefined();
    const before = Date.now() / 1000;
    metrics.startExchange('tax-service', 'GetTaxpayer')('replied');
    expect(await registry.value('korpu_partner_consecutive_failures', { partner: 'tax-service' })).toBe(0);
    expect(await registry.value('korpu_partner_last_success_timestamp_seconds', { partner: 'tax-service' })).toBeGreaterThanOrEqual(Math.floor(before));
    expect(await registry.value('korpu_exchanges_total', { partner: 'tax-service', operation: 'GetTaxpayer', outcome: 'unreachable' })).toBe(2);
    expect(await registry.render()).toMatch(/korpu_exchange_duration_seconds_count\{partner="tax-service",operation="GetTaxpayer",outcome="replied"\} 1/);
  });

  it('a partner that answers with an error is reachable: its failure streak ends', async () => {
    const registry = new MetricsRegistry();
    const metrics = new DeliveryMetrics(registry);
    metrics.startExchange('p', 'Op')(failedExchangeOutcome(new PartnerException(PartnerErrorCode.TIMEOUT, 'timed out')));
    expect(await registry.value('korpu_partner_consecutive_failures', { partner: 'p' })).toBe(1);
    metrics.startExchange('p', 'Op')(failedExchangeOutcome(new PartnerException(PartnerErrorCode.CLIENT_ERROR, '400')));
    expect(await registry.value('korpu_partner_consecutive_failures', { partner: 'p' })).toBe(0);
    expect(failedExchangeOutcome(new Error('socket hang up'))).toBe('unreachable');
  });

  it('counts retries and dead letters by partner and code', async () => {
    const registry = new MetricsRegistry();
    const metrics = new DeliveryMetrics(registry);
    metrics.retried('p', 'PARTNER_TIMEOUT');
    metrics.deadLettered('p', 'PARTNER_TIMEOUT');
    metrics.deadLettered('p', 'PARTNER_TIMEOUT');
    expect(await registry.value('korpu_delivery_retries_total', { partner: 'p', code: 'PARTNER_TIMEOUT' })).toBe(1);
    expect(await registry.value('korpu_dead_letters_total', { partner: 'p', code: 'PARTNER_TIMEOUT' })).toBe(2);
  });
});
