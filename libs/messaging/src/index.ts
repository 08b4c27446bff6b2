export { MessagingModule } from './messaging.module';
export { MessageProducer, MessageConsumerFactory, MessageDeferred, TopicAdmin } from './messaging.ports';
export type { IncomingMessage, OutgoingMessage, MessageHandler, Subscription, SubscriptionOptions, TopicSpec } from './messaging.ports';
export type { KafkaOptions } from './kafka.options';
export { TopicNames, RETRY_TIERS_SECONDS } from './topics';
export { readKafkaOptions } from './kafka.config';
