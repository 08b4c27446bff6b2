import { Injectable } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { KafkaOptions } from './kafka.options';
import { TopicAdmin, TopicSpec } from './messaging.ports';

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
        waitForLeaders: true,
        topics: missing.map((spec) => ({
          topic: spec.topic,
          numPartitions: spec.partitions ?? this.options.defaultPartitions,
          replicationFactor: spec.replicationFactor ?? this.options.defaultReplicationFactor,
          configEntries: Object.entries(spec.config ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
    } finally {
      await admin.disconnect();
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
