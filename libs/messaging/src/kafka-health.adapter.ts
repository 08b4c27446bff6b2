import { Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { Admin, Kafka } from 'kafkajs';
import { EnvelopeHeader } from '@korpu/envelope';
import { MetricsRegistry, ReadinessRegistry, withLogContext } from '@korpu/observability';
import { MessageConsumerFactory, Subscription, SubscriptionOptions } from './messaging.ports';

/** How far a consumer group is behind one partition (records not yet committed). */
export interface PartitionLag {
  group: string;
  topic: string;
  partition: number;
  lag: number;
}

/** The consumer groups this process subscribed, with their topics (for readiness and lag). */
export class SubscribedGroups {
  private readonly groups = new Map<string, Set<string>>();

  add(groupId: string, topics: string[]): void {
    const known = this.groups.get(groupId) ?? new Set<string>();
    for (const topic of topics) known.add(topic);
    this.groups.set(groupId, known);
  }

  all(): Array<{ groupId: string; topics: string[] }> {
    return [...this.groups].map(([groupId, topics]) => ({ groupId, topics: [...topics] }));
  }
}

/**
 * Notes each subscription's group and topics, then subscribes through the real factory (whose shutdown it
 * forwards); each handler runs with the record's message id and correlation id in its log context.
 */
export class TrackedConsumerFactory extends MessageConsumerFactory implements OnApplicationShutdown {
  constructor(
    private readonly inner: MessageConsumerFactory,
    private readonly groups: SubscribedGroups,
  ) {
    super();
  }

  async subscribe(options: SubscriptionOptions): Promise<Subscription> {
    this.groups.add(options.groupId, options.topics);
    const handler = options.handler;
    return this.inner.subscribe({
      ...options,
      handler: (message) =>
        withLogContext(
          { messageId: message.headers[EnvelopeHeader.MESSAGE_ID], correlationId: message.headers[EnvelopeHeader.CORRELATION_ID] },
          () => handler(message),
        ),
    });
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    await (this.inner as Partial<OnApplicationShutdown>).onApplicationShutdown?.(signal);
  }
}

/**
 * What readiness and the metrics need from the broker, on one admin connection of the app's own principal
 * (so "reachable" means reachable with our credentials): a cluster answer, each subscribed group's state, and
 * consumer lag (committed offsets against the partitions' end offsets). One request of a kind at a time.
 */
@Injectable()
export class KafkaHealth implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(KafkaHealth.name);
  private admin?: Promise<Admin>;
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly kafka: Kafka,
    private readonly groups: SubscribedGroups,
    @Optional() private readonly readiness?: ReadinessRegistry,
    @Optional() private readonly metrics?: MetricsRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness?.register('kafka', () => this.ping());
    this.readiness?.register('kafka-consumers', () => this.requireAssigned());
    this.metrics?.sampledGauge({
      name: 'korpu_kafka_consumer_lag',
      help: 'Records of a partition not yet committed by a consumer group of this app (end offset minus committed offset)',
      labelNames: ['group', 'topic', 'partition'] as const,
      cacheMs: 5_000,
      sample: async () => (await this.lag()).map(({ group, topic, partition, lag }) => ({ labels: { group, topic, partition }, value: lag })),
    });
  }

  /** Resolves when the broker answers our authenticated admin connection. */
  ping(): Promise<void> {
    return this.once('ping', async () => {
      await this.withAdmin((admin) => admin.describeCluster());
    });
  }

  /** Resolves when every group this process subscribed is Stable (partitions assigned to its members). */
  requireAssigned(): Promise<void> {
    return this.once('groups', async () => {
      const wanted = this.groups.all().map((group) => group.groupId);
      if (wanted.length === 0) return;
      const { groups } = await this.withAdmin((admin) => admin.describeGroups(wanted));
      const unassigned = groups.filter((group) => group.state !== 'Stable' || group.members.length === 0);
      if (unassigned.length > 0) throw new Error(`consumer groups not assigned: ${unassigned.map((g) => `${g.groupId} (${g.state})`).join(', ')}`);
    });
  }

  lag(): Promise<PartitionLag[]> {
    return this.once('lag', async () =>
      this.withAdmin(async (admin) => {
        const result: PartitionLag[] = [];
        const ends = new Map<string, Map<number, { low: number; high: number }>>();
        for (const { groupId, topics } of this.groups.all()) {
          const committed = await admin.fetchOffsets({ groupId, topics });
          for (const { topic, partitions } of committed) {
            if (!ends.has(topic)) {
              const offsets = await admin.fetchTopicOffsets(topic);
              ends.set(topic, new Map(offsets.map((o) => [o.partition, { low: Number(o.low), high: Number(o.high) }])));
            }
            for (const { partition, offset } of partitions) {
              const end = ends.get(topic)?.get(partition);
              if (!end) continue;
              const at = Number(offset) < 0 ? end.low : Number(offset);
              result.push({ group: groupId, topic, partition, lag: Math.max(0, end.high - at) });
            }
          }
        }
        return result;
      }),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await (await admin?.catch(() => undefined))?.disconnect().catch(() => undefined);
  }

  private once<T>(key: string, run: () => Promise<T>): Promise<T> {
    const running = this.inflight.get(key) as Promise<T> | undefined;
    if (running) return running;
    const task = run().finally(() => this.inflight.delete(key));
    this.inflight.set(key, task);
    return task;
  }

  /** Runs `use` on the shared admin connection; a failure drops the connection, the next call opens a new one. */
  private async withAdmin<T>(use: (admin: Admin) => Promise<T>): Promise<T> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin({ retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 } });
      await admin.connect();
      return admin;
    })();
    const pending = this.admin;
    try {
      return await use(await pending);
    } catch (error) {
      if (this.admin === pending) this.admin = undefined;
      void pending.then((admin) => admin.disconnect()).catch(() => undefined);
      this.logger.debug(`broker check failed: ${(error as Error).message}`);
      throw error;
    }
  }
}
