import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { CompressionTypes, Kafka, Partitioners, Producer } from 'kafkajs';
import { KafkaOptions } from './kafka.options';
import { MessageProducer, OutgoingMessage } from './messaging.ports';

/** Idempotent producer, acks=all, one in-flight request: no duplicates and no reordering on retry. */
@Injectable()
export class KafkaProducerAdapter extends MessageProducer implements OnApplicationShutdown {
  private readonly producer: Producer;
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
  }

  private connect(): Promise<void> {
    this.connecting ??= this.producer.connect().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    await this.connect();
    await this.producer.send({
      topic,
      acks: -1,
      compression: CompressionTypes.None,
      messages: messages.map((message) => ({ key: message.key, headers: message.headers, value: message.value })),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.connecting) await this.producer.disconnect();
  }
}
