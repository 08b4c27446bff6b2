import { BenchCase, quantile, withRatios } from './cases';

const c = (name: string, opsPerSec: number, baseline?: string): BenchCase => ({ name, opsPerSec, p50Ms: 1, p99Ms: 2, errors: 0, baseline });

describe('withRatios', () => {
  it("divides a case's throughput by its baseline's, measured in the same run", () => {
    const [raw, submit] = withRatios([c('raw-pipeline', 8000), c('submit', 2000, 'raw-pipeline')]);
    expect(raw.ratio).toBeUndefined();
    expect(submit.ratio).toBeCloseTo(0.25);
  });

  it('leaves the ratio out when the baseline was not measured or measured nothing', () => {
    const cases = withRatios([c('submit', 2000, 'raw-pipeline'), c('zero', 0), c('exchange', 100, 'zero')]);
    expect(cases.map((x) => x.ratio)).toEqual([undefined, undefined, undefined]);
  });
});

describe('quantile', () => {
  it('picks the sample at the quantile of an ascending array, NaN when empty', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(samples, 0.5)).toBe(51);
    expect(quantile(samples, 0.99)).toBe(100);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
