import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DeadLetterPublisher } from '@korpu/delivery';
import { EnvelopeCodec } from '@korpu/envelope';
import { KafkaEntryPoints, TopicNames } from '@korpu/messaging';
import { INBOUND_OPTIONS, InboundOptions } from '../inbound.options';
import { DeliverToCallbackUseCase, INBOUND_CALLBACKS, InboundCallbacks } from './deliver-to-callback.usecase';

/**
 * Kafka entry point of callback delivery: one consumer group over the inbound topics of owners with a callback. A
 * record that is not an envelope can never be delivered: it goes to the dead-letter topic unchanged (the
 * dispatcher's DeadLetterPublisher and headers, code ENVELOPE_MALFORMED), never blocking its partition.
 */
@Injectable()
export class InboundCallbackConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly entryPoints: KafkaEntryPoints,
    private readonly topics: TopicNames,
    private readonly deliver: DeliverToCallbackUseCase,
    private readonly deadLetters: DeadLetterPublisher,
    @Inject(INBOUND_CALLBACKS) private readonly callbacks: InboundCallbacks,
    @Inject(INBOUND_OPTIONS) private readonly options: InboundOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const owners = Object.keys(this.callbacks);
    if (owners.length === 0) return;
    await this.entryPoints.open({
      name: 'inbound-callbacks',
      groupId: this.options.callbackGroupId ?? `${this.topics.prefix}-inbound-callbacks`,
      topics: owners.map((owner) => this.topics.inbound(owner)),
      concurrency: 4,
      decode: (record) => EnvelopeCodec.decode(record),
      undecodable: this.deadLetters.setAside,
      handle: (envelope) => this.deliver.execute(envelope).then(() => undefined),
    });
  }
}
