import { DeadLetterPublisher } from '@korpu/delivery';
import { EnvelopeCodec, createEnvelope } from '@korpu/envelope';
import { DeadLetterHeader } from '@korpu/failed-messages';
import { IncomingMessage, KafkaEntryPoints, MessageConsumerFactory, MessageHandler, MessageProducer, OutgoingMessage, SubscriptionOptions, TopicNames } from '@korpu/messaging';
import { ReadinessRegistry } from '@korpu/observability';
import type { DeliverToCallbackUseCase } from './deliver-to-callback.usecase';
import { InboundCallbackConsumer } from './inbound-callback.consumer';

const topics = new TopicNames('korpu');

class CapturingConsumers {
  options?: SubscriptionOptions;
  async subscribe(options: SubscriptionOptions) {
    this.options = options;
    return { stop: async () => undefined };
  }
  get handler(): MessageHandler {
    return this.options!.handler;
  }
}

class RecordingProducer {
  readonly sent: Array<{ topic: string; messages: OutgoingMessage[] }> = [];
  async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    this.sent.push({ topic, messages });
  }
}

function setUp() {
  const consumers = new CapturingConsumers();
  const producer = new RecordingProducer();
  const delivered: unknown[] = [];
  const deliver = { execute: async (envelope: unknown) => void delivered.push(envelope) } as unknown as DeliverToCallbackUseCase;
  const consumer = new InboundCallbackConsumer(
    new KafkaEntryPoints(consumers as unknown as MessageConsumerFactory, new ReadinessRegistry()),
    topics,
    deliver,
    new DeadLetterPublisher(producer as unknown as MessageProducer, topics),
    { pensions: 'http://subsystem/callbacks/pensions' },
    { directory: '' },
  );
  return { consumers, producer, delivered, consumer };
}

const record = (value: Buffer, headers: Record<string, string>): IncomingMessage => ({
  topic: topics.inbound('pensions'),
  partition: 2,
  offset: '41',
  key: 'k-1',
  headers,
  value,
  timestamp: Date.now(),
});

describe('InboundCallbackConsumer', () => {
  it('dead-letters a record that is not an envelope, unchanged, with ENVELOPE_MALFORMED and where it came from', async () => {
    const { consumers, producer, delivered, consumer } = setUp();
    await consumer.onApplicationBootstrap();
    await consumers.handler(record(Buffer.from('not an envelope'), { 'korpu-client': 'x' }));
    expect(delivered).toEqual([]);
    expect(producer.sent).toHaveLength(1);
    const [{ topic, messages }] = producer.sent;
    expect(topic).toBe(topics.deadLetter);
    expect(messages[0]).toMatchObject({ key: 'k-1', value: Buffer.from('not an envelope') });
    expect(messages[0].headers).toMatchObject({
      'korpu-client': 'x',
      [DeadLetterHeader.ORIGINAL_TOPIC]: topics.inbound('pensions'),
      [DeadLetterHeader.ORIGINAL_PARTITION]: '2',
      [DeadLetterHeader.ORIGINAL_OFFSET]: '41',
      [DeadLetterHeader.ERROR_CODE]: 'ENVELOPE_MALFORMED',
      [DeadLetterHeader.ATTEMPTS]: '1',
    });
  });

  it('delivers an envelope to the callback and dead-letters nothing', async () => {
    const { consumers, producer, delivered, consumer } = setUp();
    await consumer.onApplicationBootstrap();
    const envelope = createEnvelope({
      client: 'AZ/GOV/1400000001/egov-portal',
      service: { partner: 'ministry', operation: 'GetPensionEntitlement' },
      messageType: 'pension-entitlement-request',
      schemaVersion: '2',
      contentType: 'application/xml',
      payload: '<x/>',
      direction: 'inbound',
    });
    const encoded = EnvelopeCodec.encode(envelope);
    await consumers.handler(record(encoded.value, encoded.headers));
    expect(delivered).toHaveLength(1);
    expect(producer.sent).toEqual([]);
  });
});
