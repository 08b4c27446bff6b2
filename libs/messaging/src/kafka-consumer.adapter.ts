import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Consumer, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { EnvelopeHeader } from '@korpu/envelope';
import { tracedConsume, tracingEnabled } from '@korpu/observability';
import { handleKeyedBatch } from './keyed-batch';
import { DEFAULT_COMMIT_INTERVAL_MS, KafkaOptions } from './kafka.options';
import { IncomingMessage, MessageConsumerFactory, MessageDeferred, Subscription, SubscriptionOptions } from './messaging.ports';

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    result[name] = Array.isArray(value) ? value.map(String).join(',') : value.toString();
  }
  return result;
}

/**
 * Consumer groups over kafkajs. Offsets are committed only for messages whose handler resolved,
 * so a process that dies mid-message gets it redelivered to whoever takes the partition over.
 */
@Injectable()
export class KafkaConsumerAdapter extends MessageConsumerFactory implements OnApplicationShutdown {
  private readonly logger = new Logger(KafkaConsumerAdapter.name);
  private readonly consumers = new Set<Consumer>();

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaOptions,
  ) {
    super();
  }

  async subscribe(options: SubscriptionOptions): Promise<Subscription> {
    let stopped = false;
    let current = await this.start(options);
    // kafkajs does not restart a consumer that crashed on an error it deems permanent (for instance a handler's
    // own error after a long outage): left alone, that partition set would never be read again. Start a new one.
    const watch = (consumer: Consumer): void => {
      consumer.on(consumer.events.CRASH, (event) => {
        if (event.payload.restart || stopped) return;
        this.logger.error(`Consumer of group ${options.groupId} crashed (${String(event.payload.error)}); starting a new one`);
        this.consumers.delete(consumer);
        const restart = async (): Promise<void> => {
          if (stopped) return;
          try {
            current = await this.start(options);
            watch(current);
          } catch (error) {
            this.logger.error(`Could not restart the consumer of group ${options.groupId}: ${String(error)}`);
            setTimeout(() => void restart(), 2000).unref();
          }
        };
        setTimeout(() => void restart(), 1000).unref();
      });
    };
    watch(current);
    return {
      stop: async () => {
        if (stopped) return;
        stopped = true;
        this.consumers.delete(current);
        await current.disconnect();
      },
    };
  }

  private async start(options: SubscriptionOptions): Promise<Consumer> {
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs,
      heartbeatInterval: this.heartbeatIntervalMs(),
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 5000 },
    });
    this.consumers.add(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning ?? true });
    const partitionsConsumedConcurrently = options.partitionsConsumedConcurrently ?? 1;
    const keys = options.keysConsumedConcurrently ?? 1;
    if (keys > 1) {
      await consumer.run({
        partitionsConsumedConcurrently,
        ...this.commitCadence(),
        eachBatchAutoResolve: false,
        eachBatch: ({ batch, resolveOffset, heartbeat, pause, isRunning, isStale }) =>
          this.keepingAlive(heartbeat, async () => {
            const { topic, partition } = batch;
            const outcome = await handleKeyedBatch(batch.messages, {
              concurrency: keys,
              keyOf: (message) => (message.key ? message.key.toString() : null),
              shouldStop: () => !isRunning() || isStale(),
              resolve: (offset) => resolveOffset(offset),
              handle: (message) => this.handleOne(options, topic, partition, message),
            });
            if (outcome.failure) this.failed(outcome.failure.error, topic, partition, outcome.failure.offset, pause);
          }),
      });
      return consumer;
    }
    await consumer.run({
      partitionsConsumedConcurrently,
      ...this.commitCadence(),
      // No heartbeat after the handler: kafkajs resolves the offset and heartbeats itself once this returns. One of our
      // own that met a rebalance there would throw, leaving a message already handled uncommitted: handled twice.
      eachMessage: async ({ topic, partition, message, heartbeat, pause }) => {
        try {
          await this.keepingAlive(heartbeat, () => this.handleOne(options, topic, partition, message));
        } catch (error) {
          this.failed(error, topic, partition, message.offset, pause);
        }
      },
    });
    return consumer;
  }

  private handleOne(options: SubscriptionOptions, topic: string, partition: number, message: KafkaMessage): Promise<void> {
    const incoming: IncomingMessage = {
      topic,
      partition,
      offset: message.offset,
      key: message.key ? message.key.toString() : null,
      headers: headersToStrings(message.headers),
      value: message.value ?? Buffer.alloc(0),
      timestamp: Number(message.timestamp),
    };
    const handle = () => options.handler(incoming);
    // Tracing on: a CONSUMER span continuing the record's `traceparent`. Off: the handler as it is (one check).
    return tracingEnabled() ? tracedConsume(topic, partition, message.offset, incoming.headers, incoming.headers[EnvelopeHeader.MESSAGE_ID], handle) : handle();
  }

  /** A handler's failure: the record (and what follows it in its partition) is not resolved, so it comes again. */
  private failed(error: unknown, topic: string, partition: number, offset: string, pause: () => () => void): never {
    if (error instanceof MessageDeferred) {
      // kafkajs' documented back-pressure pattern: pause the partition, throw so the offset is not resolved.
      const resume = pause();
      setTimeout(resume, error.delayMs).unref();
      throw error;
    }
    this.logger.error(`Handler failed on ${topic}[${partition}]@${offset}; it will be redelivered: ${String(error)}`);
    throw error;
  }

  /**
   * kafkajs heartbeats only between messages: a handler that waits longer than the session (a slow partner, an
   * outage ridden out) would have the coordinator give its partitions to another member, which handles the same
   * message again. While the handler runs, heartbeat every heartbeatInterval (kafkajs shares one request among
   * concurrent calls and sends none before the interval has passed). A heartbeat that meets a rebalance is left to
   * kafkajs: it rejoins after this message, whose offset it commits first, within the rebalance timeout (60 s).
   */
  private async keepingAlive(heartbeat: () => Promise<void>, handle: () => Promise<void>): Promise<void> {
    const timer = setInterval(() => {
      heartbeat().catch((error: unknown) => this.logger.debug(`Heartbeat during a handler: ${String(error)}`));
    }, this.heartbeatIntervalMs());
    try {
      await handle();
    } finally {
      clearInterval(timer);
    }
  }

  /**
   * Handled offsets are committed every commitIntervalMs, not after every batch: at low load a batch is one or two
   * records, and a commit each is an OffsetCommit round trip and a write to __consumer_offsets per record. kafkajs as
   * patched (patches/kafkajs+2.2.4.patch) still commits at once on a rebalance, a handler's failure and a stop, so
   * only a process that dies leaves up to one interval uncommitted (those records come again: at-least-once).
   * 0: after every batch.
   */
  private commitCadence(): { autoCommitInterval?: number } {
    const interval = this.options.commitIntervalMs ?? DEFAULT_COMMIT_INTERVAL_MS;
    return interval > 0 ? { autoCommitInterval: interval } : {};
  }

  private heartbeatIntervalMs(): number {
    return Math.max(500, Math.floor(this.options.sessionTimeoutMs / 5));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.disconnect()));
    this.consumers.clear();
  }
}
