import { producerRetry } from './producer-retry';

describe('producerRetry', () => {
  it('retries as many times as the waits (200 ms doubling, at most 3 s) fit the budget', () => {
    // 200 + 400 + 800 + 1600 = 3000, then 3000 each: 30 s is 4 + 9 waits.
    expect(producerRetry(30000).retries).toBe(13);
    expect(producerRetry(3000).retries).toBe(4);
    expect(producerRetry(3001).retries).toBe(5);
    expect(producerRetry(1000).retries).toBe(3);
  });

  it('retries once with no budget (kafkajs refuses an idempotent producer that never retries)', () => {
    expect(producerRetry(0).retries).toBe(1);
    expect(producerRetry(200).retries).toBe(1);
  });

  it('sets every setting, so NODE_ENV=test does not change the waits', () => {
    expect(producerRetry(30000)).toEqual({ retries: 13, initialRetryTime: 200, maxRetryTime: 3000, multiplier: 2, factor: 0.2 });
  });
});
