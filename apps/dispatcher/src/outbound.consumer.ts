import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PartnerDirectory } from '@korpu/contracts';
import { DeadLetterPublisher, DeliverMessageUseCase } from '@korpu/delivery';
import { EnvelopeCodec } from '@korpu/envelope';
import { KafkaEntryPoints, TopicNames } from '@korpu/messaging';
import type { DispatcherConfig } from './dispatcher.config';
import { DISPATCHER_CONFIG } from './dispatcher.tokens';

/**
 * Kafka entry points of the dispatcher: one consumer group per partner over its outbound topic, each handling as
 * many partitions at once as the partner's contract allows (maxConcurrency, at most DISPATCHER_CONCURRENCY). A slow
 * partner uses up only its own budget: the others' messages never wait behind it. Within a partition, messages of
 * different correlation ids are delivered at once (DISPATCHER_KEY_CONCURRENCY), one correlation's in order.
 */
@Injectable()
export class OutboundConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly entryPoints: KafkaEntryPoints,
    private readonly partners: PartnerDirectory,
    private readonly deliver: DeliverMessageUseCase,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly topics: TopicNames,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all(
      this.partners.all().map((partner) =>
        this.entryPoints.open({
          name: `outbound-${partner.id}`,
          groupId: `${this.config.groupId}.${partner.id}`,
          topics: [this.topics.outbound(partner.id)],
          concurrency: Math.min(partner.maxConcurrency, this.config.partitionsConsumedConcurrently),
          keyConcurrency: this.config.keysConsumedConcurrently,
          decode: (record) => EnvelopeCodec.decode(record),
          undecodable: this.deadLetters.setAside,
          handle: (envelope, record) => this.deliver.execute(envelope, record).then(() => undefined),
        }),
      ),
    );
  }
}
