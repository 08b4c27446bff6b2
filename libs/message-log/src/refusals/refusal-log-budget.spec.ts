import { RefusalLogBudget } from './refusal-log-budget';

describe('RefusalLogBudget', () => {
  it('grants a source its per-minute budget at once, then one more record per refill interval', () => {
    let now = 0;
    const budget = new RefusalLogBudget({ perMinute: 2, maxSources: 10 }, () => now);
    expect([budget.take('a'), budget.take('a'), budget.take('a')]).toEqual([true, true, false]);
    now += 29_000;
    expect(budget.take('a')).toBe(false);
    now += 1_000;
    expect([budget.take('a'), budget.take('a')]).toEqual([true, false]);
    now += 10 * 60_000;
    expect([budget.take('a'), budget.take('a'), budget.take('a')]).toEqual([true, true, false]);
  });

  it('keeps sources apart', () => {
    const budget = new RefusalLogBudget({ perMinute: 1, maxSources: 10 }, () => 0);
    expect([budget.take('a'), budget.take('b'), budget.take('a'), budget.take('b')]).toEqual([true, true, false, false]);
  });

  it('tracks at most maxSources sources, forgetting the least recently refused first', () => {
    const budget = new RefusalLogBudget({ perMinute: 1, maxSources: 2 }, () => 0);
    budget.take('a');
    budget.take('b');
    budget.take('c');
    expect(budget.size).toBe(2);
    expect(budget.take('c')).toBe(false);
    // "a" was forgotten: a new source again (memory stays bounded under a flood of addresses).
    expect(budget.take('a')).toBe(true);
  });
});
