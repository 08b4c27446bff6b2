import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DeadLetterPublisher, RetryScheduler } from '@korpu/delivery';
import { asRecord, KafkaEntryPoints, TopicNames } from '@korpu/messaging';
import type { DispatcherConfig } from './dispatcher.config';
import { DISPATCHER_CONFIG } from './dispatcher.tokens';

/** Kafka entry point of the retry tiers: returns each waiting message to its work topic when it is due. */
@Injectable()
export class RetryConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly entryPoints: KafkaEntryPoints,
    private readonly retries: RetryScheduler,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly topics: TopicNames,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.entryPoints.open({
      name: 'retry',
      groupId: `${this.config.groupId}-retry`,
      topics: this.topics.retryTopics(),
      // Every tier partition waits on its own head, so they all run at once.
      concurrency: 16,
      decode: asRecord,
      undecodable: this.deadLetters.setAside,
      handle: (record) => this.retries.forwardWhenDue(record),
    });
  }
}
