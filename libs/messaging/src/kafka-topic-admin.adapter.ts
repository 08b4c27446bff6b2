import { Injectable } from '@nestjs/common';
import { Admin, Kafka } from 'kafkajs';
import { KafkaOptions } from './kafka.options';
import { TopicAdmin, TopicSpec } from './messaging.ports';

const MIN_INSYNC_REPLICAS = 'min.insync.replicas';

/** What a topic is created with: the options' durability (min.insync.replicas), then the spec's own settings. */
export function topicConfig(spec: TopicSpec, options: Pick<KafkaOptions, 'defaultMinInsyncReplicas'>): Record<string, string> {
  return { [MIN_INSYNC_REPLICAS]: String(options.defaultMinInsyncReplicas), ...spec.config };
}

@Injectable()
export class KafkaTopicAdminAdapter extends TopicAdmin {
  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaOptions,
  ) {
    super();
  }

  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((spec) => !existing.has(spec.topic));
      if (missing.length === 0) return;
      // Another instance may create the same topics concurrently; createTopics reports false, not an error.
      await admin.createTopics({
        // Waited for below: kafkajs's own wait gives up on UNKNOWN_TOPIC_OR_PARTITION, which a KRaft broker answers
        // for a moment after the controller created the topic, before its metadata image has it.
        waitForLeaders: false,
        topics: missing.map((spec) => ({
          topic: spec.topic,
          numPartitions: spec.partitions ?? this.options.defaultPartitions,
          replicationFactor: spec.replicationFactor ?? this.options.defaultReplicationFactor,
          configEntries: Object.entries(topicConfig(spec, this.options)).map(([name, value]) => ({ name, value })),
        })),
      });
      await this.waitForLeaders(admin, missing.map((spec) => spec.topic));
    } finally {
      await admin.disconnect();
    }
  }

  private async waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const metadata = await admin.fetchTopicMetadata({ topics });
        if (metadata.topics.every((topic) => topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0))) return;
      } catch (error) {
        const type = (error as { type?: string }).type;
        if ((type !== 'UNKNOWN_TOPIC_OR_PARTITION' && type !== 'LEADER_NOT_AVAILABLE') || Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) throw new Error(`Kafka topics have no leader after ${timeoutMs} ms: ${topics.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async listTopics(): Promise<string[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return await admin.listTopics();
    } finally {
      await admin.disconnect();
    }
  }
}
