/**
 * How many refusals of one source address are written to the message log: a token bucket per source holding at
 * most `perMinute` records, refilled at `perMinute` a minute. A refusal beyond it is only counted. At most
 * `maxSources` buckets are kept (the least recently used is forgotten first), so a flood of addresses cannot grow
 * memory; a forgotten source starts again with a full bucket.
 */
export class RefusalLogBudget {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limits: { perMinute: number; maxSources: number },
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.buckets.size;
  }

  /** True when a record of this source may be logged now (and uses up one). */
  take(source: string): boolean {
    const now = this.now();
    const capacity = this.limits.perMinute;
    const known = this.buckets.get(source);
    const bucket = known ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) * capacity) / 60_000);
    bucket.at = now;
    // Re-inserted: the map's order is least recently used first.
    this.buckets.delete(source);
    this.buckets.set(source, bucket);
    if (this.buckets.size > this.limits.maxSources) this.buckets.delete(this.buckets.keys().next().value as string);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
