import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EnvelopeCodec } from '@korpu/envelope';
import { InboundReplyWaiter } from '@korpu/inbound';
import { MessageConsumerFactory, Subscription, TopicNames } from '@korpu/messaging';
import { ReadinessRegistry } from '@korpu/observability';
import type { PartnerEndpointConfig } from './partner-endpoint.config';
import { PARTNER_ENDPOINT_CONFIG } from './partner-endpoint.tokens';

/** Every partner-endpoint instance reads all replies (its own group) and wakes the callers it holds. */
@Injectable()
export class InboundRepliesConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InboundRepliesConsumer.name);
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
    this.subscription = await this.consumers.subscribe({
      groupId: `korpu-partner-endpoint-replies-${this.config.instanceId}`,
      topics: [this.topics.replies],
      fromBeginning: false,
      handler: async (message) => {
        try {
          this.waiter.deliver(EnvelopeCodec.decode(message));
        } catch (error) {
          this.logger.warn(`Ignoring a malformed reply record at ${message.topic}[${message.partition}]@${message.offset}: ${String(error)}`);
        }
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }
}
