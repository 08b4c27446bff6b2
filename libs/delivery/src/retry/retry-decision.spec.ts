import { RetryPolicy } from '@korpu/contracts';
import { decideRetry, retryTier } from './retry-decision';

const policy: RetryPolicy = {
  attempts: 4,
  initialDelayMs: 1000,
  maxDelayMs: 5000,
  multiplier: 3,
  jitter: 0.2,
  retryOn: ['PARTNER_UNAVAILABLE', 'PARTNER_TIMEOUT'],
};

describe('decideRetry', () => {
  it('sends a code outside retryOn straight to dead letters without burning retries', () => {
    expect(decideRetry('PARTNER_REPLY_SCHEMA_INVALID', 1, policy)).toEqual({ action: 'dead-letter', reason: 'not-retryable' });
  });

  it('never retries a refused reply (wrong signer, not bound to the request), even when retryOn lists it', () => {
    const listing = { ...policy, retryOn: [...policy.retryOn, 'REPLY_SIGNER_NOT_PARTNER', 'REPLY_NOT_BOUND_TO_REQUEST'] };
    expect(decideRetry('REPLY_SIGNER_NOT_PARTNER', 1, listing)).toEqual({ action: 'dead-letter', reason: 'not-retryable' });
    expect(decideRetry('REPLY_NOT_BOUND_TO_REQUEST', 1, listing)).toEqual({ action: 'dead-letter', reason: 'not-retryable' });
  });

  it('retries REVOCATION_UNAVAILABLE (we could not check the reply\'s revocation status) even when retryOn does not list it, within the attempts', () => {
    expect(decideRetry('REVOCATION_UNAVAILABLE', 1, policy, () => 0.5)).toMatchObject({ action: 'retry', delayMs: 1000, nextAttempt: 2 });
    expect(decideRetry('REVOCATION_UNAVAILABLE', policy.attempts, policy)).toEqual({ action: 'dead-letter', reason: 'attempts-exhausted' });
    // A signature that is bad stays a permanent failure.
    expect(decideRetry('PARTNER_REPLY_SIGNATURE_INVALID', 1, policy)).toEqual({ action: 'dead-letter', reason: 'not-retryable' });
  });

  it('backs off exponentially up to the ceiling', () => {
    const middle = () => 0.5; // no jitter effect
    expect(decideRetry('PARTNER_UNAVAILABLE', 1, policy, middle)).toMatchObject({ action: 'retry', delayMs: 1000, nextAttempt: 2 });
    expect(decideRetry('PARTNER_UNAVAILABLE', 2, policy, middle)).toMatchObject({ delayMs: 3000, nextAttempt: 3 });
    expect(decideRetry('PARTNER_UNAVAILABLE', 3, policy, middle)).toMatchObject({ delayMs: 5000, nextAttempt: 4 });
  });

  it('spreads delays by the jitter fraction', () => {
    expect(decideRetry('PARTNER_TIMEOUT', 1, policy, () => 0)).toMatchObject({ delayMs: 800 });
    expect(decideRetry('PARTNER_TIMEOUT', 1, policy, () => 1)).toMatchObject({ delayMs: 1200 });
  });

  it('never exceeds the ceiling, even with jitter', () => {
    const decision = decideRetry('PARTNER_TIMEOUT', 3, policy, () => 1);
    expect(decision.action === 'retry' && decision.delayMs).toBe(5000);
  });

  it('gives up after the last attempt', () => {
    expect(decideRetry('PARTNER_UNAVAILABLE', 4, policy)).toEqual({ action: 'dead-letter', reason: 'attempts-exhausted' });
  });
});

describe('retryTier', () => {
  it('picks the smallest tier that covers the delay', () => {
    expect(retryTier(0)).toBe(1);
    expect(retryTier(1000)).toBe(1);
    expect(retryTier(1001)).toBe(5);
    expect(retryTier(29000)).toBe(30);
    expect(retryTier(10 * 3600 * 1000)).toBe(3600);
  });
});
