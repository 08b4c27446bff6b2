import { PartnerErrorCode, REFUSED_REPLY_CODES } from '@korpu/adapters';
import { RetryPolicy } from '@korpu/contracts';
import { RETRY_TIERS_SECONDS } from '@korpu/messaging';

/** Never retried, whatever a partner's retryOn says: asking again cannot change who signs the answer or what it answers. */
const NEVER_RETRIED = new Set<string>(REFUSED_REPLY_CODES);

/**
 * Always retried (within the partner's attempts), whatever its retryOn says: the failure is ours, not the
 * partner's — the reply's revocation status could not be checked right now (CRL expired, OCSP responder down).
 */
const ALWAYS_RETRIED = new Set<string>([PartnerErrorCode.REVOCATION_UNAVAILABLE]);


export type RetryDecision =
  | { action: 'retry'; delayMs: number; tierSeconds: number; nextAttempt: number }
  | { action: 'dead-letter'; reason: 'not-retryable' | 'attempts-exhausted' };

/**
 * What to do after attempt `attempt` (1-based) failed with `code`: retry later with exponential backoff and
 * jitter under the policy's ceiling, or give up. Codes outside `retryOn` never burn retries (poison messages,
 * schema or signature failures, partner refusals go straight to dead letters), except ALWAYS_RETRIED ones.
 */
export function decideRetry(code: string, attempt: number, policy: RetryPolicy, random: () => number = Math.random): RetryDecision {
  if (NEVER_RETRIED.has(code) || (!ALWAYS_RETRIED.has(code) && !policy.retryOn.includes(code))) return { action: 'dead-letter', reason: 'not-retryable' };
  if (attempt >= policy.attempts) return { action: 'dead-letter', reason: 'attempts-exhausted' };
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (attempt - 1));
  const spread = base * policy.jitter;
  const delayMs = Math.max(0, Math.round(Math.min(policy.maxDelayMs, base - spread + 2 * spread * random())));
  return { action: 'retry', delayMs, tierSeconds: retryTier(delayMs), nextAttempt: attempt + 1 };
}

export function retryTier(delayMs: number): number {
  return RETRY_TIERS_SECONDS.find((tier) => tier * 1000 >= delayMs) ?? RETRY_TIERS_SECONDS[RETRY_TIERS_SECONDS.length - 1];
}
