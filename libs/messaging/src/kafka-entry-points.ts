import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { ReadinessRegistry } from '@korpu/observability';
import { IncomingMessage, MessageConsumerFactory, Subscription } from './messaging.ports';

/** One Kafka entry point of an app: a consumer group over some topics, and what each record becomes. */
export interface EntryPoint<T> {
  /** Names the readiness check (`<name>-subscription`) and the log lines. */
  name: string;
  groupId: string;
  topics: string[];
  /** Partitions handled at once (order is kept within each); default 1. */
  concurrency?: number;
  /** Records of different keys handled at once within a partition (one key's in order); default 1. */
  keyConcurrency?: number;
  /** Default true: a new group starts at the earliest offset, nothing skipped. */
  fromBeginning?: boolean;
  /** Turns a record into what `handle` takes; throws for a record it cannot read. */
  decode: (record: IncomingMessage) => T;
  /**
   * A record `decode` refused (a poison record): resolve to have it committed — after keeping it somewhere (the
   * dead-letter topic) if this group owns such records, or after a log line if another group does.
   */
  undecodable: (record: IncomingMessage, error: unknown) => Promise<void>;
  handle: (value: T, record: IncomingMessage) => Promise<void>;
}

/** `decode` for entry points that take records as they are. */
export const asRecord = (record: IncomingMessage): IncomingMessage => record;

/**
 * Opens every Kafka entry point the same way: its readiness check, decode-or-set-aside, and stop before the app
 * shuts down (in-flight handlers finish and commit first).
 */
@Injectable()
export class KafkaEntryPoints implements BeforeApplicationShutdown {
  private readonly logger = new Logger(KafkaEntryPoints.name);
  private readonly subscriptions = new Map<string, Subscription>();

  constructor(
    private readonly consumers: MessageConsumerFactory,
    private readonly readiness: ReadinessRegistry,
  ) {}

  async open<T>(entry: EntryPoint<T>): Promise<void> {
    if (this.subscriptions.has(entry.name)) throw new Error(`entry point ${entry.name} is open already`);
    this.readiness.register(`${entry.name}-subscription`, async () => {
      if (!this.subscriptions.has(entry.name)) throw new Error('not subscribed yet');
    });
    const subscription = await this.consumers.subscribe({
      groupId: entry.groupId,
      topics: entry.topics,
      fromBeginning: entry.fromBeginning,
      partitionsConsumedConcurrently: entry.concurrency ?? 1,
      keysConsumedConcurrently: entry.keyConcurrency ?? 1,
      handler: async (record) => {
        let value: T;
        try {
          value = entry.decode(record);
        } catch (error) {
          this.logger.error(`${entry.name}: unreadable record at ${record.topic}[${record.partition}]@${record.offset}: ${String(error)}`);
          await entry.undecodable(record, error);
          return;
        }
        await entry.handle(value, record);
      },
    });
    this.subscriptions.set(entry.name, subscription);
  }

  /** Whether an entry point has joined its group. */
  isOpen(name: string): boolean {
    return this.subscriptions.has(name);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const open = [...this.subscriptions.values()];
    this.subscriptions.clear();
    await Promise.all(open.map((subscription) => subscription.stop()));
  }
}
