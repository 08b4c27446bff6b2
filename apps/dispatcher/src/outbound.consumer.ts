import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { PartnerDirectory } from '@korpu/contracts';
import { DeadLetterPublisher, DeliverMessageUseCase } from '@korpu/delivery';
import { EnvelopeCodec, EnvelopeDecodeException } from '@korpu/envelope';
import { MessageConsumerFactory, Subscription, TopicNames } from '@korpu/messaging';
import { ReadinessRegistry } from '@korpu/observability';
import type { DispatcherConfig } from './dispatcher.config';
import { DISPATCHER_CONFIG } from './dispatcher.tokens';

/** Kafka entry point of the dispatcher: one consumer group over every partner's outbound topic. */
@Injectable()
export class OutboundConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboundConsumer.name);
  private subscription?: Subscription;

  constructor(
    private readonly consumers: MessageConsumerFactory,
    private readonly partners: PartnerDirectory,
    private readonly deliver: DeliverMessageUseCase,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly readiness: ReadinessRegistry,
    private readonly topics: TopicNames,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.readiness.register('outbound-subscription', async () => {
      if (!this.subscription) throw new Error('not subscribed yet');
    });
    this.subscription = await this.consumers.subscribe({
      groupId: this.config.groupId,
      topics: this.partners.all().map((partner) => this.topics.outbound(partner.id)),
      partitionsConsumedConcurrently: this.config.partitionsConsumedConcurrently,
      handler: async (message) => {
        let envelope;
        try {
          envelope = EnvelopeCodec.decode(message);
        } catch (error) {
          if (!(error instanceof EnvelopeDecodeException)) throw error;
          // Not an envelope: a poison record that can never be delivered; kept in dead letters, never blocking the partition.
          this.logger.error(`Dead-lettering a malformed record at ${message.topic}[${message.partition}]@${message.offset}: ${error.message}`);
          await this.deadLetters.publish(message, { code: error.code, message: error.message }, 1);
          return;
        }
        await this.deliver.execute(envelope, message);
      },
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }
}
