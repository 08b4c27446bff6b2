/**
 * The narrow messaging interface the domain depends on. Kafka (kafkajs) is one implementation,
 * behind the adapters in this folder; nothing else in Körpü imports kafkajs.
 */
export interface OutgoingMessage {
  /** Partition key: messages with one key keep their order. */
  key: string;
  headers: Record<string, string>;
  value: Buffer;
}

export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  value: Buffer;
  /** Broker timestamp, ms since epoch. */
  timestamp: number;
}

/** Resolves only when the broker holds the messages durably (acks from all in-sync replicas). */
export abstract class MessageProducer {
  abstract send(topic: string, messages: OutgoingMessage[]): Promise<void>;
}

/**
 * A handler that resolves marks the message done (its offset may be committed);
 * one that throws leaves it uncommitted, so it is delivered again.
 * Throwing `MessageDeferred` pauses the message's partition for a while without treating it as a failure:
 * the message (and those behind it in its partition) comes again after the delay.
 */
export class MessageDeferred extends Error {
  constructor(readonly delayMs: number) {
    super(`message deferred for ${delayMs} ms`);
    this.name = 'MessageDeferred';
  }
}

export type MessageHandler = (message: IncomingMessage) => Promise<void>;

export interface SubscriptionOptions {
  groupId: string;
  topics: string[];
  handler: MessageHandler;
  /** Start from the earliest offset when the group has none yet (default true: nothing is skipped). */
  fromBeginning?: boolean;
  /** How many partitions are processed at once; order is kept within a partition. */
  partitionsConsumedConcurrently?: number;
  /**
   * Within a partition, how many records of different keys are handled at once (default 1: one record at a time).
   * Records of one key are still handled one after the other in offset order, and an offset is committed only when
   * every record before it in its partition was handled.
   */
  keysConsumedConcurrently?: number;
}

export interface Subscription {
  /** Stops fetching, lets the in-flight handler finish, commits and leaves the group. */
  stop(): Promise<void>;
}

export abstract class MessageConsumerFactory {
  abstract subscribe(options: SubscriptionOptions): Promise<Subscription>;
}

export interface TopicSpec {
  topic: string;
  partitions?: number;
  replicationFactor?: number;
  config?: Record<string, string>;
}

export abstract class TopicAdmin {
  /** Creates the topics that do not exist yet; existing ones are left as they are. */
  abstract ensureTopics(topics: TopicSpec[]): Promise<void>;
  abstract listTopics(): Promise<string[]>;
}
