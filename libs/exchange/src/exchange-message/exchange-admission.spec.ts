import { Logger } from '@nestjs/common';
import { MetricsRegistry } from '@korpu/observability';
import { ExchangeErrorCode, ExchangeException } from '../exchange.exception';
import { ExchangeAdmission, OVERLOAD_LOG_INTERVAL_MS } from './exchange-admission';

function refusal(run: () => unknown): ExchangeException {
  try {
    run();
  } catch (error) {
    if (error instanceof ExchangeException) return error;
    throw error;
  }
  throw new Error('expected EXCHANGE_OVERLOADED');
}

const PENSIONS = 'MLSP/pensions';
/** A partner's budget with no smaller share per client. */
const only = (maxWaiting: number) => ({ maxWaiting, maxWaitingPerClient: maxWaiting });

describe('ExchangeAdmission', () => {
  let warnings: string[];
  beforeEach(() => {
    warnings = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
  });
  afterEach(() => jest.restoreAllMocks());

  it("refuses the exchange past a partner's budget, and only that partner's", () => {
    const admission = new ExchangeAdmission({ maxWaiting: 100 });
    admission.admit('tax-service', PENSIONS, only(2));
    admission.admit('tax-service', PENSIONS, only(2));
    const error = refusal(() => admission.admit('tax-service', PENSIONS, only(2)));
    expect(error).toMatchObject({ code: ExchangeErrorCode.EXCHANGE_OVERLOADED, status: 503, retryable: true, loggedAtSource: true });
    expect(error.details).toEqual({ partner: 'tax-service', scope: 'partner', limit: 2, retryAfterSeconds: 1 });
    expect(() => admission.admit('population-registry', PENSIONS, only(2))).not.toThrow();
    expect([admission.waiting('tax-service'), admission.waiting('population-registry'), admission.waiting()]).toEqual([2, 1, 3]);
  });

  it("keeps a client to its share of the partner's budget, leaving the rest to the others", () => {
    const admission = new ExchangeAdmission({ maxWaiting: 100 });
    const budget = { maxWaiting: 4, maxWaitingPerClient: 3 };
    const first = admission.admit('tax-service', PENSIONS, budget);
    admission.admit('tax-service', PENSIONS, budget);
    admission.admit('tax-service', PENSIONS, budget);
    const error = refusal(() => admission.admit('tax-service', PENSIONS, budget));
    expect(error.details).toEqual({ partner: 'tax-service', scope: 'client', limit: 3, retryAfterSeconds: 1 });
    expect(error.message).toContain("your share of partner tax-service's budget (maxWaitingExchangesPerClient 3)");
    expect(warnings[0]).toContain('3 of client MLSP/pensions waiting for it (limit 3, client)');
    // Another client still has the room the share left.
    admission.admit('tax-service', 'MLSP/benefits', budget);
    expect(refusal(() => admission.admit('tax-service', 'MLSP/benefits', budget)).details).toMatchObject({ scope: 'partner', limit: 4 });
    expect([admission.waiting('tax-service', PENSIONS), admission.waiting('tax-service', 'MLSP/benefits'), admission.waiting('tax-service')]).toEqual([3, 1, 4]);
    first();
    expect(admission.waiting('tax-service', PENSIONS)).toBe(2);
    expect(() => admission.admit('tax-service', PENSIONS, budget)).not.toThrow();
  });

  it("refuses past the gateway's budget over all partners", () => {
    const admission = new ExchangeAdmission({ maxWaiting: 3 });
    admission.admit('a', PENSIONS, only(10));
    admission.admit('b', PENSIONS, only(10));
    admission.admit('c', PENSIONS, only(10));
    expect(refusal(() => admission.admit('d', PENSIONS, only(10))).details).toMatchObject({ partner: 'd', scope: 'gateway', limit: 3 });
    expect(admission.waiting()).toBe(3);
  });

  it('gives a place back once, however often its release is called', () => {
    const admission = new ExchangeAdmission({ maxWaiting: 10 });
    const first = admission.admit('tax-service', PENSIONS, only(2));
    admission.admit('tax-service', PENSIONS, only(2));
    first();
    first();
    expect(admission.waiting('tax-service')).toBe(1);
    expect(() => admission.admit('tax-service', PENSIONS, only(2))).not.toThrow();
    expect(() => admission.admit('tax-service', PENSIONS, only(2))).toThrow(ExchangeException);
  });

  it('a refused exchange takes no place', () => {
    const admission = new ExchangeAdmission({ maxWaiting: 10 });
    const release = admission.admit('tax-service', PENSIONS, only(1));
    for (let i = 0; i < 5; i++) expect(() => admission.admit('tax-service', PENSIONS, only(1))).toThrow(ExchangeException);
    release();
    expect(admission.waiting()).toBe(0);
    expect(() => admission.admit('tax-service', PENSIONS, only(1))).not.toThrow();
  });

  it('logs the first refusal of a burst at once, then one record per interval that counts the rest', () => {
    let now = 1_000_000;
    const admission = new ExchangeAdmission({ maxWaiting: 10 }, undefined, () => now);
    admission.admit('tax-service', PENSIONS, only(1));
    for (let i = 0; i < 50; i++) refusal(() => admission.admit('tax-service', PENSIONS, only(1)));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^EXCHANGE_OVERLOADED: exchange towards tax-service refused, 1 waiting for it \(limit 1, partner\)$/);
    now += OVERLOAD_LOG_INTERVAL_MS;
    refusal(() => admission.admit('tax-service', PENSIONS, only(1)));
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/49 more refused in the 10 s since the previous record$/);
    // Another partner's refusals have their own record.
    admission.admit('population-registry', PENSIONS, only(1));
    refusal(() => admission.admit('population-registry', PENSIONS, only(1)));
    expect(warnings).toHaveLength(3);
    expect(warnings[2]).toContain('towards population-registry');
  });

  it('publishes what waits per partner and what was refused by which budget', async () => {
    const metrics = MetricsRegistry.create({ defaultMetrics: false });
    const admission = new ExchangeAdmission({ maxWaiting: 2 }, metrics);
    const release = admission.admit('tax-service', PENSIONS, only(1));
    refusal(() => admission.admit('tax-service', PENSIONS, only(1)));
    admission.admit('population-registry', PENSIONS, only(5));
    refusal(() => admission.admit('population-registry', PENSIONS, only(5)));
    let text = await metrics.render();
    expect(text).toContain('korpu_sync_exchanges_waiting{partner="tax-service"} 1');
    expect(text).toContain('korpu_sync_exchanges_refused_total{partner="tax-service",scope="partner"} 1');
    expect(text).toContain('korpu_sync_exchanges_refused_total{partner="population-registry",scope="gateway"} 1');
    release();
    text = await metrics.render();
    expect(text).toContain('korpu_sync_exchanges_waiting{partner="tax-service"} 0');
  });

  it('takes only a whole, positive gateway budget', () => {
    expect(() => new ExchangeAdmission({ maxWaiting: 0 })).toThrow(/maxWaiting/);
    expect(() => new ExchangeAdmission({ maxWaiting: 1.5 })).toThrow(/maxWaiting/);
  });
});
