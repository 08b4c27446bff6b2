import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { asRecord, IncomingMessage, KafkaEntryPoints, TopicAdmin, TopicNames } from '@korpu/messaging';
import { FAILED_MESSAGES_CONSUMER_GROUP } from './dead-letter-headers';
import { readDeadLetterRecord } from './dead-letter-record';
import { FailedMessageRepository, StoreOutcome } from './failed-message.repository';

/**
 * Kafka entry point of the failed-message store: group `korpu-failed-messages` on the dead-letter topic. Each
 * record is stored before its offset may be committed (the handler resolves only then); a database failure makes
 * the handler throw, so the record is delivered again. Storing is idempotent, so redelivery is harmless.
 */
@Injectable()
export class DeadLetterConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(DeadLetterConsumer.name);

  constructor(
    private readonly entryPoints: KafkaEntryPoints,
    private readonly topicAdmin: TopicAdmin,
    private readonly topics: TopicNames,
    private readonly messages: FailedMessageRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.topicAdmin.ensureTopics([{ topic: this.topics.deadLetter }]);
    await this.entryPoints.open({
      name: 'dead-letters',
      groupId: FAILED_MESSAGES_CONSUMER_GROUP,
      topics: [this.topics.deadLetter],
      decode: asRecord,
      // Records are taken as they are (readDeadLetterRecord reads what it can and warns of the rest): nothing to set aside.
      undecodable: async () => undefined,
      handle: (record) => this.handle(record).then(() => undefined),
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

  /** Whether the consumer has joined its group (for a readiness check). */
  get subscribed(): boolean {
    return this.entryPoints.isOpen('dead-letters');
  }
}
