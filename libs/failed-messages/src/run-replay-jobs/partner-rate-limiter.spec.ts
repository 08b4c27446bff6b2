import { PartnerRateLimiter } from './partner-rate-limiter';

describe('PartnerRateLimiter', () => {
  it('lets each partner have its own rate, starting with one burst', () => {
    let now = 0;
    const limiter = new PartnerRateLimiter({ defaultRate: 100, ratePerPartner: { 'tax-service': 10 } }, 50, () => now);
    expect(limiter.available('tax-service')).toBe(10);
    expect(limiter.available('population-registry')).toBe(50); // capped by the burst (a batch)
    limiter.take('tax-service', 10);
    expect(limiter.available('tax-service')).toBe(0);
    expect(limiter.waitMs('tax-service')).toBe(100);
    now = 500;
    expect(limiter.available('tax-service')).toBe(5);
    now = 10_000;
    expect(limiter.available('tax-service')).toBe(10); // never more than a second's worth
  });

  it('sends at most rate × seconds + one burst over a long run', () => {
    let now = 0;
    const limiter = new PartnerRateLimiter({ defaultRate: 20, ratePerPartner: {} }, 100, () => now);
    let sent = 0;
    for (; now <= 10_000; now += 37) {
      const n = limiter.available('p');
      limiter.take('p', n);
      sent += n;
    }
    expect(sent).toBeLessThanOrEqual(20 * 10 + 20);
    expect(sent).toBeGreaterThanOrEqual(20 * 10 - 1);
  });
});
