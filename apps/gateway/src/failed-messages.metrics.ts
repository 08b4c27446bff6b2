import { Injectable, OnModuleInit } from '@nestjs/common';
import { PartnerDirectory } from '@korpu/contracts';
import { FailedMessageRepository, FailedMessageStatus } from '@korpu/failed-messages';
import { MetricsRegistry } from '@korpu/observability';

/**
 * `korpu_failed_messages_waiting{partner}`: dead-lettered messages no operator has replayed or resolved yet, by
 * partner (from the failed-message store, sampled every 30 s; partners the contracts do not name count as unknown).
 * Published by the gateway only, which serves the failed-message admin API, so the sum is not doubled.
 */
@Injectable()
export class FailedMessagesMetrics implements OnModuleInit {
  constructor(
    private readonly failed: FailedMessageRepository,
    private readonly partners: PartnerDirectory,
    private readonly metrics: MetricsRegistry,
  ) {}

  onModuleInit(): void {
    this.metrics.sampledGauge({
      name: 'korpu_failed_messages_waiting',
      help: 'Failed (dead-lettered) messages waiting for an operator (unresolved), by partner',
      labelNames: ['partner'] as const,
      cacheMs: 30_000,
      sample: async () => {
        const known = new Set(this.partners.all().map((partner) => partner.id));
        const waiting = new Map<string, number>([...known].map((partner) => [partner, 0]));
        for (const group of await this.failed.groups('service', { status: [FailedMessageStatus.UNRESOLVED] }, 10_000)) {
          const partner = group.key.split('/')[0];
          const label = known.has(partner) ? partner : 'unknown';
          waiting.set(label, (waiting.get(label) ?? 0) + group.count);
        }
        return [...waiting].map(([partner, value]) => ({ labels: { partner }, value }));
      },
    });
  }
}
