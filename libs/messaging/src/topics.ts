/**
 * Kafka topic names: defined here only. A prefix per deployment (or per test stack) keeps
 * environments that share a broker apart.
 */
/** Delay tiers of the retry topics, in seconds. */
export const RETRY_TIERS_SECONDS = [1, 5, 30, 120, 600, 3600] as const;

export class TopicNames {
  constructor(readonly prefix: string = 'korpu') {}

  /** Requests from subsystems to one partner; one topic per partner so a slow partner cannot starve others. */
  outbound(partner: string): string {
    return `${this.prefix}.outbound.${partner}`;
  }

  /** What every outbound topic name starts with (for prefixed ACLs). */
  get outboundPrefix(): string {
    return this.outbound('');
  }

  /** Requests from partners to the subsystem that owns the service. */
  inbound(owner: string): string {
    return `${this.prefix}.inbound.${owner}`;
  }

  get inboundPrefix(): string {
    return this.inbound('');
  }

  /** Replies travelling back to whoever waits: gateway sync calls, partner endpoints. */
  get replies(): string {
    return `${this.prefix}.replies`;
  }

  /** Non-blocking retries: one topic per delay tier. */
  retry(tierSeconds: number): string {
    return `${this.prefix}.retry.${tierSeconds}s`;
  }

  get retryPrefix(): string {
    return `${this.prefix}.retry.`;
  }

  retryTopics(): string[] {
    return RETRY_TIERS_SECONDS.map((tier) => this.retry(tier));
  }

  get deadLetter(): string {
    return `${this.prefix}.dead-letter`;
  }
}
