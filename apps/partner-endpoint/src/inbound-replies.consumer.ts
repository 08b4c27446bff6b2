import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { subscribeToAllReplies } from '@korpu/exchange';
import { InboundReplyWaiter } from '@korpu/inbound';
import { MessageConsumerFactory, Subscription, TopicNames } from '@korpu/messaging';
import { ReadinessRegistry } from '@korpu/observability';
import type { PartnerEndpointConfig } from './partner-endpoint.config';
import { PARTNER_ENDPOINT_CONFIG } from './partner-endpoint.tokens';

/** Every partner-endpoint instance reads all replies (its own group) and wakes the callers it holds. */
@Injectable()
export class InboundRepliesConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private subscription?: Subscription;

  constructor(
    private readonly consumers: MessageConsumerFactory,
    private readonly waiter: InboundReplyWaiter,
    private readonly readiness: ReadinessRegistry,
    private readonly topics: TopicNames,
    @Inject(PARTNER_ENDPOINT_CONFIG) private readonly config: PartnerEndpointConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.readiness.register('inbound-replies-subscription', async () => {
      if (!this.subscription) throw new Error('not subscribed yet');
    });
    this.subscription = await subscribeToAllReplies(this.consumers, this.topics, `korpu-partner-endpoint-replies-${this.config.instanceId}`, (reply) =>
      this.waiter.deliver(reply),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }
}
