import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { RetryScheduler } from '@korpu/delivery';
import { MessageConsumerFactory, Subscription, TopicNames } from '@korpu/messaging';
import { ReadinessRegistry } from '@korpu/observability';
import type { DispatcherConfig } from './dispatcher.config';
import { DISPATCHER_CONFIG } from './dispatcher.tokens';

/** Kafka entry point of the retry tiers: returns each waiting message to its work topic when it is due. */
@Injectable()
export class RetryConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private subscription?: Subscription;

  constructor(
    private readonly consumers: MessageConsumerFactory,
    private readonly retries: RetryScheduler,
    private readonly readiness: ReadinessRegistry,
    private readonly topics: TopicNames,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.readiness.register('retry-subscription', async () => {
      if (!this.subscription) throw new Error('not subscribed yet');
    });
    this.subscription = await this.consumers.subscribe({
      groupId: `${this.config.groupId}-retry`,
      topics: this.topics.retryTopics(),
      // Every tier partition waits on its own head, so they all run at once.
      partitionsConsumedConcurrently: 16,
      handler: (message) => this.retries.forwardWhenDue(message),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }
}
