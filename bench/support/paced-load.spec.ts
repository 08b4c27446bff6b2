import { Sent, summarise } from './paced-load';

const at = (ms: number): bigint => BigInt(1_800_000_000_000 + ms) * 1_000_000n;
const sent = (ms: number, latencyMs: number, status = 200): Sent => ({ at: at(ms), status, latencyNs: latencyMs * 1e6 });

describe('summarise (the measured part of a paced load)', () => {
  it('takes latency quantiles over the expected answers and counts statuses', () => {
    const requests = Array.from({ length: 100 }, (_, i) => sent(i * 10, i + 1));
    // Refusals answered at once do not make the quantiles look better.
    const refused = Array.from({ length: 100 }, (_, i) => sent(i * 10 + 5, 0.5, 503));
    const r = summarise([...requests, ...refused], 200, 1);
    expect(r.ok).toBe(100);
    expect(r.errors).toBe(100);
    expect(r.statuses).toEqual({ '200': 100, '503': 100 });
    expect(r.p50Ms).toBe(51);
    expect(r.p99Ms).toBe(100);
  });

  it('rates the successes over the time from the first request to the last answer, not over the attack', () => {
    // Two requests a second apart, the last answered 1 s after it left: 2 s from first request to last answer.
    const r = summarise([sent(0, 10), sent(1000, 1000)], 200, 30);
    expect(r.opsPerSec).toBeCloseTo(1);
    expect(r.seconds).toBe(30);
  });

  it('reports nothing measured as no rate and no latency', () => {
    const r = summarise([], 200, 1);
    expect(r.opsPerSec).toBe(0);
    expect(r.p50Ms).toBeNaN();
  });
});
