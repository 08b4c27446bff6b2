import { ProcessMonitor } from './process-monitor';

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
