import { ProcessMonitor, rssVerdict } from './process-monitor';

describe('ProcessMonitor.costMarkdown', () => {
  const monitor = (): ProcessMonitor => {
    const m = new ProcessMonitor([
      { name: 'gateway', pid: () => undefined },
      { name: 'postgresql', pid: () => undefined },
    ]);
    m.cases.push('submit', 'exchange-200', 'no-rate');
    m.byCase.set('gateway', new Map([['submit', { cpu: 80 }], ['exchange-200', { cpu: 40 }], ['no-rate', { cpu: 10 }]]));
    m.byCase.set('postgresql', new Map([['submit', { cpu: 40 }], ['exchange-200', { cpu: 30 }]]));
    return m;
  };

  it('gives each process its CPU milliseconds per message and the sum, for the cases with a rate', () => {
    const rates: Record<string, number> = { submit: 2000, 'exchange-200': 200 };
    const table = monitor().costMarkdown((label) => rates[label]).split('\n');
    expect(table[0]).toBe('| case (CPU ms per message) | gateway | postgresql | all |');
    // 80 % of a core at 2,000/s is 0.4 ms each; 40 % is 0.2 ms.
    expect(table[2]).toBe('| submit | 0.40 | 0.20 | 0.60 |');
    expect(table[3]).toBe('| exchange-200 | 2.00 | 1.50 | 3.50 |');
    expect(table).toHaveLength(4);
  });

  it('is empty when no case has a rate', () => {
    expect(monitor().costMarkdown(() => undefined)).toBe('');
  });
});

describe('rssVerdict', () => {
  const warmup = [100, 150, 200, 250, 300, 350, 400, 450, 500, 550];

  it('calls a saw-tooth that keeps its high mark flat, and memory handed back at the end too', () => {
    const sawTooth = [...warmup, ...Array.from({ length: 90 }, (_, i) => (i % 3 === 0 ? 600 : 450))];
    expect(rssVerdict('gateway', sawTooth)).toMatchObject({ flat: true, growthPercent: 0, quartersMb: [600, 600, 600, 600] });
    const idleAtTheEnd = [...warmup, ...Array.from({ length: 60 }, () => 580), ...Array.from({ length: 30 }, () => 270)];
    expect(rssVerdict('gateway', idleAtTheEnd)).toMatchObject({ flat: true, lastMb: 270 });
  });

  it('calls a rising high mark growth, whatever the single samples do', () => {
    const leak = [...warmup, ...Array.from({ length: 90 }, (_, i) => 400 + 2 * i - (i % 2 === 0 ? 100 : 0))];
    const verdict = rssVerdict('simulators', leak);
    expect(verdict.flat).toBe(false);
    expect(verdict.quartersMb[3]).toBeGreaterThan(verdict.quartersMb[2]);
    expect(verdict.quartersMb[2]).toBeGreaterThan(verdict.quartersMb[0]);
    expect(verdict.growthPercent).toBeCloseTo((100 * (verdict.quartersMb[3] - verdict.quartersMb[0])) / verdict.quartersMb[0], 5);
  });

  it('leaves the warm-up out', () => {
    const rising = [...Array.from({ length: 10 }, (_, i) => 50 * (i + 1)), ...Array.from({ length: 90 }, () => 500)];
    expect(rssVerdict('dispatcher', rising)).toMatchObject({ flat: true, firstMb: 500, maxMb: 500 });
  });
});
