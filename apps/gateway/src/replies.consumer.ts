import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { ReplyWaiter, subscribeToAllReplies } from '@korpu/exchange';
import { MessageConsumerFactory, Subscription, TopicNames } from '@korpu/messaging';
import { ReadinessRegistry } from '@korpu/observability';
import type { GatewayConfig } from './gateway.config';
import { GATEWAY_CONFIG } from './gateway.tokens';

/**
 * Every gateway instance reads all replies (its own consumer group) and wakes the synchronous
 * exchanges it holds; replies for exchanges held elsewhere are ignored here.
 */
@Injectable()
export class RepliesConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private subscription?: Subscription;

  constructor(
    private readonly consumers: MessageConsumerFactory,
    private readonly waiter: ReplyWaiter,
    private readonly readiness: ReadinessRegistry,
    private readonly topics: TopicNames,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.readiness.register('replies-subscription', async () => {
      if (!this.subscription) throw new Error('not subscribed yet');
    });
    this.subscription = await subscribeToAllReplies(this.consumers, this.topics, `korpu-gateway-replies-${this.config.instanceId}`, (reply) =>
      this.waiter.deliver(reply),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }
}
