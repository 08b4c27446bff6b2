import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { CompressionTypes, Kafka, Message, Partitioners, Producer } from 'kafkajs';
import { KafkaOptions } from './kafka.options';
import { MessageProducer, OutgoingMessage } from './messaging.ports';
import { BatchedSend, ProduceBatcher } from './produce-batcher';

/** A request stays below the broker's default max.message.bytes (1 MiB) for any one partition's batch. */
const MAX_REQUEST_BYTES = 768 * 1024;
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;

function sizeOf(message: OutgoingMessage): number {
  let bytes = message.value.length + message.key.length + 64;
  for (const [name, value] of Object.entries(message.headers)) bytes += name.length + value.length + 8;
  return bytes;
}

/**
 * Idempotent producer, acks=all. Concurrent sends are gathered into one produce request with one request in flight
 * (ProduceBatcher says why that is needed for no loss, not only for speed): no duplicates, no loss, and no reordering
 * on retry.
 */
@Injectable()
export class KafkaProducerAdapter extends MessageProducer implements OnApplicationShutdown {
  private readonly producer: Producer;
  private readonly batcher: ProduceBatcher<Message>;
  private connecting?: Promise<void>;

  constructor(kafka: Kafka, options: KafkaOptions) {
    super();
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { initialRetryTime: 200, retries: 30, maxRetryTime: 3000 },
      transactionTimeout: options.producerRetryTimeMs,
    });
    this.batcher = new ProduceBatcher((sends) => this.produce(sends), {
      maxRequestBytes: MAX_REQUEST_BYTES,
      maxQueuedBytes: MAX_QUEUED_BYTES,
    });
  }

  private connect(): Promise<void> {
    this.connecting ??= this.producer.connect().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    let bytes = 0;
    const records = messages.map((message) => {
      bytes += sizeOf(message);
      return { key: message.key, headers: message.headers, value: message.value };
    });
    await this.batcher.send(topic, records, bytes);
  }

  private async produce(sends: Array<BatchedSend<Message>>): Promise<void> {
    await this.connect();
    const byTopic = new Map<string, Message[]>();
    for (const send of sends) {
      const list = byTopic.get(send.topic);
      if (list) list.push(...send.messages);
      else byTopic.set(send.topic, [...send.messages]);
    }
    await this.producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.connecting) await this.producer.disconnect();
  }
}
