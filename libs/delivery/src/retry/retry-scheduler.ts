import { Injectable, Logger } from '@nestjs/common';
import { PartnerDirectory } from '@korpu/contracts';
import { Envelope, EnvelopeCodec } from '@korpu/envelope';
import { IncomingMessage, MessageDeferred, MessageProducer, TopicNames } from '@korpu/messaging';
import { DeadLetterPublisher } from '../dead-letter.publisher';
import { DeliveryErrorCode } from '../delivery.exception';
import { RetryHeader } from './retry-headers';
import { retryTier } from './retry-decision';

/**
 * Non-blocking retries: a message that must wait leaves its work topic (whose partition goes on with the
 * messages behind it) for a retry-tier topic, and comes back to the work topic when due.
 */
@Injectable()
export class RetryScheduler {
  private readonly logger = new Logger(RetryScheduler.name);

  constructor(
    private readonly producer: MessageProducer,
    private readonly topics: TopicNames,
    private readonly partners: PartnerDirectory,
    private readonly deadLetters: DeadLetterPublisher,
  ) {}

  /** The only topics a retry record may return to: this stack's (its prefix's) outbound topics of configured partners. */
  private allowedTargets(): Set<string> {
    return new Set(this.partners.all().map((partner) => this.topics.outbound(partner.id)));
  }

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
   * A record naming no target, or a target outside this stack's outbound topics (a foreign producer's record, a
   * forged header), is dead-lettered at once with RETRY_TARGET_NOT_ALLOWED and never forwarded.
   */
  async forwardWhenDue(message: IncomingMessage, now: number = Date.now()): Promise<void> {
    const dueAt = Date.parse(message.headers[RetryHeader.DUE_AT] ?? '');
    const target = message.headers[RetryHeader.TARGET_TOPIC];
    if (!target || !this.allowedTargets().has(target)) {
      const problem = target
        ? `retry record ${message.topic}[${message.partition}]@${message.offset} names ${target}, not an outbound topic of this stack's partners`
        : `retry record ${message.topic}[${message.partition}]@${message.offset} names no target topic`;
      this.logger.error(`Dead-lettering: ${problem}`);
      await this.deadLetters.publish(message, { code: DeliveryErrorCode.RETRY_TARGET_NOT_ALLOWED, message: problem }, 1);
      return;
    }
    if (Number.isFinite(dueAt) && dueAt > now) throw new MessageDeferred(dueAt - now);
    const headers = { ...message.headers };
    delete headers[RetryHeader.TARGET_TOPIC];
    delete headers[RetryHeader.DUE_AT];
    delete headers[RetryHeader.REASON];
    await this.producer.send(target, [{ key: message.key ?? '', headers, value: message.value }]);
  }
}
