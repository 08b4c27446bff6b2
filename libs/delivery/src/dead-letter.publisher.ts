import { Injectable } from '@nestjs/common';
import { deadLetterHeaders } from '@korpu/failed-messages';
import { IncomingMessage, MessageProducer, TopicNames } from '@korpu/messaging';

/** Gives up on a record: the original record, unchanged, with the dead-letter headers, on the dead-letter topic. */
@Injectable()
export class DeadLetterPublisher {
  constructor(
    private readonly producer: MessageProducer,
    private readonly topics: TopicNames,
  ) {}

  /**
   * For an entry point whose records must be envelopes: a record that is not one can never be handled, so it is kept
   * in the dead-letter topic with the decoder's code (ENVELOPE_MALFORMED) rather than blocking its partition.
   */
  readonly setAside = async (record: IncomingMessage, error: unknown): Promise<void> => {
    const code = (error as { code?: unknown }).code;
    await this.publish(record, { code: typeof code === 'string' ? code : 'RECORD_UNREADABLE', message: String((error as Error).message ?? error) }, 1);
  };

  async publish(source: IncomingMessage, failure: { code: string; message: string }, attempts: number): Promise<void> {
    const headers = deadLetterHeaders({
      original: { topic: source.topic, partition: source.partition, offset: source.offset, headers: source.headers },
      failure,
      attempts,
      failedAt: new Date(),
    });
    await this.producer.send(this.topics.deadLetter, [{ key: source.key ?? '', headers, value: source.value }]);
  }
}
