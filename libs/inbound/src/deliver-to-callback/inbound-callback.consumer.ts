import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DeadLetterPublisher } from '@korpu/delivery';
import { EnvelopeCodec, EnvelopeDecodeException } from '@korpu/envelope';
import { MessageConsumerFactory, Subscription, TopicNames } from '@korpu/messaging';
import { ReadinessRegistry } from '@korpu/observability';
import { INBOUND_OPTIONS, InboundOptions } from '../inbound.options';
import { DeliverToCallbackUseCase, INBOUND_CALLBACKS, InboundCallbacks } from './deliver-to-callback.usecase';

/**
 * Kafka entry point of callback delivery: one consumer group over the inbound topics of owners with a callback. A
 * record that is not an envelope can never be delivered: it goes to the dead-letter topic unchanged (the
 * dispatcher's DeadLetterPublisher and headers, code ENVELOPE_MALFORMED), never blocking its partition.
 */
@Injectable()
export class InboundCallbackConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InboundCallbackConsumer.name);
  private subscription?: Subscription;

  constructor(
    private readonly consumers: MessageConsumerFactory,
    private readonly topics: TopicNames,
    private readonly deliver: DeliverToCallbackUseCase,
    private readonly readiness: ReadinessRegistry,
    private readonly deadLetters: DeadLetterPublisher,
    @Inject(INBOUND_CALLBACKS) private readonly callbacks: InboundCallbacks,
    @Inject(INBOUND_OPTIONS) private readonly options: InboundOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const owners = Object.keys(this.callbacks);
    if (owners.length === 0) return;
    this.readiness.register('inbound-callbacks-subscription', async () => {
      if (!this.subscription) throw new Error('not subscribed yet');
    });
    this.subscription = await this.consumers.subscribe({
      groupId: this.options.callbackGroupId ?? `${this.topics.prefix}-inbound-callbacks`,
      topics: owners.map((owner) => this.topics.inbound(owner)),
      partitionsConsumedConcurrently: 4,
      handler: async (message) => {
        let envelope;
        try {
          envelope = EnvelopeCodec.decode(message);
        } catch (error) {
          if (!(error instanceof EnvelopeDecodeException)) throw error;
          this.logger.error(`Dead-lettering a malformed record at ${message.topic}[${message.partition}]@${message.offset}: ${error.message}`);
          await this.deadLetters.publish(message, { code: error.code, message: error.message }, 1);
          return;
        }
        await this.deliver.execute(envelope);
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }
}
