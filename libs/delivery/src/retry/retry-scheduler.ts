import { Injectable } from '@nestjs/common';
import { Envelope, EnvelopeCodec } from '@korpu/envelope';
import { IncomingMessage, MessageDeferred, MessageProducer, TopicNames } from '@korpu/messaging';
import { RetryHeader } from './retry-headers';
import { retryTier } from './retry-decision';

/**
 * Non-blocking retries: a message that must wait leaves its work topic (whose partition goes on with the
 * messages behind it) for a retry-tier topic, and comes back to the work topic when due.
 */
@Injectable()
export class RetryScheduler {
  constructor(
    private readonly producer: MessageProducer,
    private readonly topics: TopicNames,
  ) {}

  async schedule(envelope: Envelope, targetTopic: string, delayMs: number, reason: string, now: Date = new Date()): Promise<void> {
    const record = EnvelopeCodec.encode(envelope);
    record.headers[RetryHeader.TARGET_TOPIC] = targetTopic;
    record.headers[RetryHeader.DUE_AT] = new Date(now.getTime() + delayMs).toISOString();
    record.headers[RetryHeader.REASON] = reason;
    await this.producer.send(this.topics.retry(retryTier(delayMs)), [record]);
  }

  /**
   * Handles one record of a retry topic: defers it (pausing its partition) until due, then sends it back to
   * its work topic unchanged but for the retry headers. Records of one tier come in due order but for jitter.
   */
  async forwardWhenDue(message: IncomingMessage, now: number = Date.now()): Promise<void> {
    const dueAt = Date.parse(message.headers[RetryHeader.DUE_AT] ?? '');
    const target = message.headers[RetryHeader.TARGET_TOPIC];
    if (!target) throw new Error(`retry record ${message.topic}@${message.offset} names no target topic`);
    if (Number.isFinite(dueAt) && dueAt > now) throw new MessageDeferred(dueAt - now);
    const headers = { ...message.headers };
    delete headers[RetryHeader.TARGET_TOPIC];
    delete headers[RetryHeader.DUE_AT];
    delete headers[RetryHeader.REASON];
    await this.producer.send(target, [{ key: message.key ?? '', headers, value: message.value }]);
  }
}
