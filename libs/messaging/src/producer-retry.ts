import { RetryOptions } from 'kafkajs';

const INITIAL_RETRY_MS = 200;
const MAX_RETRY_MS = 3000;

/**
 * kafkajs retry settings under which a send keeps retrying through a broker outage for about `budgetMs`
 * (KAFKA_PRODUCER_RETRY_MS) before its caller is told it failed: waits of 200 ms doubling up to 3 s, as many as fit
 * the budget. Every setting is given, so the waits are the same under NODE_ENV=test (kafkajs has other defaults
 * there). At least one retry: kafkajs refuses an idempotent producer without (a retry of a request whose answer was
 * lost is what the broker deduplicates).
 */
export function producerRetry(budgetMs: number): RetryOptions {
  let retries = 1;
  let waited = INITIAL_RETRY_MS;
  for (let wait = INITIAL_RETRY_MS * 2; waited < budgetMs; wait = Math.min(wait * 2, MAX_RETRY_MS)) {
    waited += wait;
    retries += 1;
  }
  return { retries, initialRetryTime: INITIAL_RETRY_MS, maxRetryTime: MAX_RETRY_MS, multiplier: 2, factor: 0.2 };
}
