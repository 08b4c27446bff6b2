import { DynamicModule, Module } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { ObservabilityModule } from '@korpu/observability';
import { KafkaEntryPoints } from './kafka-entry-points';
import { createKafkaClient } from './kafka-client';
import { KafkaConsumerAdapter } from './kafka-consumer.adapter';
import { KafkaHealth, SubscribedGroups, TrackedConsumerFactory } from './kafka-health.adapter';
import { KafkaProducerAdapter } from './kafka-producer.adapter';
import { KafkaTopicAdminAdapter } from './kafka-topic-admin.adapter';
import { KAFKA_OPTIONS, KafkaOptions } from './kafka.options';
import { MessageConsumerFactory, MessageProducer, TopicAdmin } from './messaging.ports';
import { TopicNames } from './topics';

@Module({})
export class MessagingModule {
  static forRoot(options: KafkaOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      // Readiness checks of the entry points (ObservabilityModule is global: the apps' own import is the same one).
      imports: [ObservabilityModule],
      providers: [
        KafkaEntryPoints,
        { provide: KAFKA_OPTIONS, useValue: options },
        { provide: TopicNames, useValue: new TopicNames(options.topicPrefix) },
        { provide: Kafka, useFactory: () => createKafkaClient(options) },
        { provide: MessageProducer, useFactory: (kafka: Kafka) => new KafkaProducerAdapter(kafka, options), inject: [Kafka] },
        { provide: SubscribedGroups, useValue: new SubscribedGroups() },
        {
          provide: MessageConsumerFactory,
          // Subscriptions are noted for readiness (groups assigned) and consumer-lag metrics (KafkaHealth).
          useFactory: (kafka: Kafka, groups: SubscribedGroups) => new TrackedConsumerFactory(new KafkaConsumerAdapter(kafka, options), groups),
          inject: [Kafka, SubscribedGroups],
        },
        KafkaHealth,
        { provide: TopicAdmin, useFactory: (kafka: Kafka) => new KafkaTopicAdminAdapter(kafka, options), inject: [Kafka] },
      ],
      exports: [MessageProducer, MessageConsumerFactory, TopicAdmin, TopicNames, KafkaEntryPoints, KafkaHealth],
    };
  }
}
