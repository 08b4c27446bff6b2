import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { IncomingMessage, MessageConsumerFactory, Subscription, TopicAdmin, TopicNames } from '@korpu/messaging';
import { FAILED_MESSAGES_CONSUMER_GROUP } from './dead-letter-headers';
import { readDeadLetterRecord } from './dead-letter-record';
import { FailedMessageRepository, StoreOutcome } from './failed-message.repository';

/**
 * Kafka entry point of the failed-message store: group `korpu-failed-messages` on the dead-letter topic. Each
 * record is stored before its offset may be committed (the handler resolves only then); a database failure makes
 * the handler throw, so the record is delivered again. Storing is idempotent, so redelivery is harmless.
 */
@Injectable()
export class DeadLetterConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeadLetterConsumer.name);
  private subscription?: Subscription;

  constructor(
    private readonly consumers: MessageConsumerFactory,
    private readonly topicAdmin: TopicAdmin,
    private readonly topics: TopicNames,
    private readonly messages: FailedMessageRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.topicAdmin.ensureTopics([{ topic: this.topics.deadLetter }]);
    this.subscription = await this.consumers.subscribe({
      groupId: FAILED_MESSAGES_CONSUMER_GROUP,
      topics: [this.topics.deadLetter],
      handler: (record) => this.handle(record).then(() => undefined),
    });
  }

  /** Stores one dead-letter record (public for tests and for a replay of the dead-letter topic itself). */
  async handle(record: IncomingMessage): Promise<StoreOutcome> {
    const message = readDeadLetterRecord(record);
    for (const warning of message.warnings) {
      this.logger.warn(`Dead-letter record ${record.topic}[${record.partition}]@${record.offset}: ${warning}`);
    }
    const outcome = await this.messages.store(message);
    this.logger.log(`Failed message ${message.messageId} (${message.errorCode}) stored: ${outcome}`);
    return outcome;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  /** Whether the consumer has joined its group (for a readiness check). */
  get subscribed(): boolean {
    return this.subscription !== undefined;
  }
}
