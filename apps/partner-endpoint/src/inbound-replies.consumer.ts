import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ReplyWaiter } from '@korpu/envelope';
import { allRepliesEntryPoint } from '@korpu/exchange';
import { KafkaEntryPoints, TopicNames } from '@korpu/messaging';
import type { PartnerEndpointConfig } from './partner-endpoint.config';
import { PARTNER_ENDPOINT_CONFIG } from './partner-endpoint.tokens';

/** Every partner-endpoint instance reads all replies (its own group) and wakes the callers it holds. */
@Injectable()
export class InboundRepliesConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly entryPoints: KafkaEntryPoints,
    private readonly waiter: ReplyWaiter,
    private readonly topics: TopicNames,
    @Inject(PARTNER_ENDPOINT_CONFIG) private readonly config: PartnerEndpointConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.entryPoints.open(
      allRepliesEntryPoint(this.topics, 'inbound-replies', `korpu-partner-endpoint-replies-${this.config.instanceId}`, (reply) =>
        this.waiter.deliver(reply),
      ),
    );
  }
}
