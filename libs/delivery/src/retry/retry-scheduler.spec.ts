import { PartnerConfig, PartnerDirectory } from '@korpu/contracts';
import { IncomingMessage, MessageDeferred, MessageProducer, OutgoingMessage, TopicNames } from '@korpu/messaging';
import { DeadLetterPublisher } from '../dead-letter.publisher';
import { RetryHeader } from './retry-headers';
import { RetryScheduler } from './retry-scheduler';

class RecordingProducer extends MessageProducer {
  readonly sent: Array<{ topic: string; message: OutgoingMessage }> = [];
  async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    for (const message of messages) this.sent.push({ topic, message });
  }
}

const topics = new TopicNames('stack-a');
const partners = new PartnerDirectory([{ id: 'tax-service' } as PartnerConfig, { id: 'population-registry' } as PartnerConfig]);

function setUp() {
  const producer = new RecordingProducer();
  return { producer, scheduler: new RetryScheduler(producer, topics, partners, new DeadLetterPublisher(producer, topics)) };
}

const waiting = (target: string | undefined, dueAt = new Date(0).toISOString()): IncomingMessage => ({
  topic: topics.retry(5),
  partition: 0,
  offset: '7',
  key: 'corr-1',
  headers: { 'korpu-message-id': 'm-1', [RetryHeader.DUE_AT]: dueAt, ...(target ? { [RetryHeader.TARGET_TOPIC]: target } : {}) },
  value: Buffer.from('{}'),
  timestamp: 0,
});

describe('RetryScheduler.forwardWhenDue', () => {
  it('returns a due record to its own stack\'s outbound topic, without the retry headers', async () => {
    const { producer, scheduler } = setUp();
    await scheduler.forwardWhenDue(waiting(topics.outbound('tax-service')));
    expect(producer.sent).toHaveLength(1);
    expect(producer.sent[0].topic).toBe('stack-a.outbound.tax-service');
    expect(producer.sent[0].message.headers).toEqual({ 'korpu-message-id': 'm-1' });
  });

  it('defers a record that is not due yet', async () => {
    const { scheduler } = setUp();
    await expect(scheduler.forwardWhenDue(waiting(topics.outbound('tax-service'), new Date(Date.now() + 60_000).toISOString()))).rejects.toBeInstanceOf(
      MessageDeferred,
    );
  });

  it.each([
    ['another stack\'s outbound topic', 'stack-b.outbound.tax-service'],
    ['an outbound topic of no configured partner', 'stack-a.outbound.mystery'],
    ['a topic that is not outbound at all', 'stack-a.replies'],
    ['the dead-letter topic', 'stack-a.dead-letter'],
    ['no topic', undefined],
  ])('dead-letters a record naming %s with RETRY_TARGET_NOT_ALLOWED and forwards nothing', async (_what, target) => {
    const { producer, scheduler } = setUp();
    await scheduler.forwardWhenDue(waiting(target));
    expect(producer.sent.map((sent) => sent.topic)).toEqual(['stack-a.dead-letter']);
    expect(JSON.stringify(producer.sent[0].message.headers)).toContain('RETRY_TARGET_NOT_ALLOWED');
    expect(producer.sent[0].message.value.toString()).toBe('{}');
  });
});
