/**
 * Token buckets, one per partner: `rate` messages per second, at most `burst` at once (a batch), so a partner that
 * just recovered gets a steady flow rather than everything at once. Time comes from `now` (milliseconds).
 */
export class PartnerRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rates: { defaultRate: number; ratePerPartner: Record<string, number> },
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  rateOf(partner: string): number {
    return this.rates.ratePerPartner[partner] ?? this.rates.defaultRate;
  }

  /** Whole messages the partner may be sent now. */
  available(partner: string): number {
    return Math.floor(this.refill(partner).tokens);
  }

  /** Spends `count` tokens (after `available` said they are there). */
  take(partner: string, count: number): void {
    this.refill(partner).tokens -= count;
  }

  /** Milliseconds until the partner may be sent one more message. */
  waitMs(partner: string): number {
    const bucket = this.refill(partner);
    return bucket.tokens >= 1 ? 0 : Math.ceil(((1 - bucket.tokens) / this.rateOf(partner)) * 1000);
  }

  private capacity(partner: string): number {
    return Math.max(1, Math.min(this.burst, this.rateOf(partner)));
  }

  private refill(partner: string): { tokens: number; at: number } {
    const now = this.now();
    let bucket = this.buckets.get(partner);
    if (!bucket) {
      bucket = { tokens: this.capacity(partner), at: now };
      this.buckets.set(partner, bucket);
    }
    bucket.tokens = Math.min(this.capacity(partner), bucket.tokens + ((now - bucket.at) / 1000) * this.rateOf(partner));
    bucket.at = now;
    return bucket;
  }
}
