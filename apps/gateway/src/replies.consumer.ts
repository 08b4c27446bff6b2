import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { allRepliesEntryPoint, ReplyWaiter } from '@korpu/exchange';
import { KafkaEntryPoints, TopicNames } from '@korpu/messaging';
import type { GatewayConfig } from './gateway.config';
import { GATEWAY_CONFIG } from './gateway.tokens';

/**
 * Every gateway instance reads all replies (its own consumer group) and wakes the synchronous
 * exchanges it holds; replies for exchanges held elsewhere are ignored here.
 */
@Injectable()
export class RepliesConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly entryPoints: KafkaEntryPoints,
    private readonly waiter: ReplyWaiter,
    private readonly topics: TopicNames,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.entryPoints.open(
      allRepliesEntryPoint(this.topics, 'replies', `korpu-gateway-replies-${this.config.instanceId}`, (reply) => this.waiter.deliver(reply)),
    );
  }
}
