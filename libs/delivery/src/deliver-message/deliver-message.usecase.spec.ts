import { AccessControlService, AccessErrorCode, AccessException } from '@korpu/access';
import { PartnerClient, PartnerErrorCode, PartnerException, PartnerReply, ReplyRefusedException } from '@korpu/adapters';
import { ContractsException, PartnerConfig, PartnerDirectory } from '@korpu/contracts';
import { Envelope, EnvelopeCodec, createEnvelope } from '@korpu/envelope';
import { PayloadValidator } from '@korpu/exchange';
import { LogEntry, MessageLog } from '@korpu/message-log';
import { IncomingMessage, MessageProducer, OutgoingMessage, TopicNames } from '@korpu/messaging';
import { MetricsRegistry } from '@korpu/observability';
import { OperationalRecordInput, OperationalRecorder } from '@korpu/operational-monitoring';
import { MessageStatusRepository } from '@korpu/tracking';
import { DeadLetterPublisher } from '../dead-letter.publisher';
import { RetryScheduler } from '../retry/retry-scheduler';
import { DeliverMessageUseCase } from './deliver-message.usecase';

class RecordingRecorder extends OperationalRecorder {
  readonly records: OperationalRecordInput[] = [];
  record(input: OperationalRecordInput): void {
    this.records.push(input);
  }
}

class RecordingProducer extends MessageProducer {
  readonly sent: Array<{ topic: string; message: OutgoingMessage }> = [];
  async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    for (const message of messages) this.sent.push({ topic, message });
  }
}

const taxService = {
  id: 'tax-service',
  ordering: 'none',
  signers: [],
  retry: { attempts: 5, initialDelayMs: 100, maxDelayMs: 100, multiplier: 1, jitter: 0, retryOn: ['PARTNER_UNAVAILABLE', 'REPLY_SIGNER_NOT_PARTNER'] },
  operations: {
    GetTaxpayer: { name: 'GetTaxpayer', request: { type: 'taxpayer-lookup-request', version: '1' }, reply: { type: 'taxpayer-lookup-reply', version: '1' } },
  },
} as unknown as PartnerConfig;

function setUp(options: { access?: (client: string) => void; answer?: () => Promise<PartnerReply>; current?: Record<string, unknown> } = {}) {
  const topics = new TopicNames('unit');
  const producer = new RecordingProducer();
  const partners = new PartnerDirectory([taxService]);
  const sentToPartner: Envelope[] = [];
  const client = {
    send: async (_partner: PartnerConfig, _operation: unknown, request: Envelope) => {
      sentToPartner.push(request);
      return (options.answer ?? (async () => ({ contentType: 'application/json', payload: '{"voen":"1400057421"}' }) as PartnerReply))();
    },
  } as unknown as PartnerClient;
  const statuses: Array<{ status: string; detail?: Record<string, unknown> }> = [];
  const statusRepository = {
    findForDelivery: async () => ({ current: options.current, earlierPending: false }),
    record: async (_request: Envelope, status: string, detail?: Record<string, unknown>) => void statuses.push({ status, detail }),
    recordReply: async () => void statuses.push({ status: 'replied' }),
  } as unknown as MessageStatusRepository;
  const logged: LogEntry[] = [];
  const messageLog = { append: async (entry: LogEntry) => void logged.push(entry) } as unknown as MessageLog;
  const access = { check: async (clientId: string) => options.access?.(clientId) } as unknown as AccessControlService;
  const validator = { validate: async () => undefined } as unknown as PayloadValidator;
  const deadLetters = new DeadLetterPublisher(producer, topics);
  const metrics = new MetricsRegistry();
  const recorder = new RecordingRecorder();
  const useCase = new DeliverMessageUseCase(
    partners,
    client,
    validator,
    producer,
    statusRepository,
    topics,
    new RetryScheduler(producer, topics, partners, deadLetters),
    deadLetters,
    messageLog,
    access,
    metrics,
    recorder,
  );
  return { useCase, producer, sentToPartner, statuses, logged, topics, metrics, recorder, statusRepository, messageLog };
}

function queued(
  client = 'MLSP/benefits',
  over: { service?: { partner: string; operation: string }; messageType?: string; topic?: string } = {},
): { envelope: Envelope; source: IncomingMessage } {
  const envelope = createEnvelope({
    client,
    service: over.service ?? { partner: 'tax-service', operation: 'GetTaxpayer' },
    messageType: over.messageType ?? 'taxpayer-lookup-request',
    schemaVersion: '1',
    contentType: 'application/json',
    payload: '{"voen":"1400057421"}',
  });
  const record = EnvelopeCodec.encode(envelope);
  return { envelope, source: { topic: over.topic ?? 'unit.outbound.tax-service', partition: 0, offset: '1', key: record.key, headers: record.headers, value: record.value, timestamp: 0 } };
}

const deadLetters = (producer: RecordingProducer) => producer.sent.filter((sent) => sent.topic === 'unit.dead-letter');

describe('DeliverMessageUseCase', () => {
  it('delivers a message whose client still holds the right', async () => {
    const { useCase, sentToPartner, statuses } = setUp();
    const { envelope, source } = queued();
    expect(await useCase.execute(envelope, source)).toBe('replied');
    expect(sentToPartner).toHaveLength(1);
    expect(statuses.map((s) => s.status)).toContain('replied');
  });

  it('leaves one operational record of a replied exchange, with its sizes and every hop in order', async () => {
    const { useCase, recorder } = setUp({ answer: async () => ({ contentType: 'application/json', payload: '{"voen":"1400057421","name":"Ə"}' }) as PartnerReply });
    const { envelope, source } = queued();
    source.timestamp = Date.parse(envelope.createdAt);
    await useCase.execute(envelope, source);
    expect(recorder.records).toHaveLength(1);
    const [record] = recorder.records;
    expect(record).toMatchObject({
      direction: 'outbound',
      client: 'MLSP/benefits',
      service: 'tax-service/GetTaxpayer',
      messageId: envelope.messageId,
      correlationId: envelope.correlationId,
      attempt: 1,
      requestSize: Buffer.byteLength(envelope.payload),
      responseSize: Buffer.byteLength('{"voen":"1400057421","name":"Ə"}'),
      result: 'succeeded',
    });
    expect(record.errorCode).toBeUndefined();
    expect(record.replyMessageId).toEqual(expect.any(String));
    const { requestInAt, requestQueuedAt, requestPickedAt, requestOutAt, responseInAt, responseOutAt } = record.hops;
    const order = [requestInAt, requestQueuedAt, requestPickedAt, requestOutAt, responseInAt, responseOutAt].map((at) => Date.parse(at as string));
    expect(order.every((at) => Number.isFinite(at))).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('records a retried attempt as failed and the last one as dead-lettered, each with its error code', async () => {
    const { useCase, recorder } = setUp({
      answer: async () => {
        throw new PartnerException(PartnerErrorCode.UNAVAILABLE, 'partner down');
      },
    });
    const { envelope, source } = queued();
    expect(await useCase.execute(envelope, source)).toBe('retrying');
    expect(await useCase.execute({ ...envelope, attempt: 5 }, source)).toBe('dead-lettered');
    expect(recorder.records.map((r) => [r.result, r.errorCode, r.attempt])).toEqual([
      ['failed', 'PARTNER_UNAVAILABLE', 1],
      ['dead-lettered', 'PARTNER_UNAVAILABLE', 5],
    ]);
    expect(recorder.records[0].hops.requestOutAt).toEqual(expect.any(String));
    expect(recorder.records[0].responseSize).toBeUndefined();
  });

  it('records a message refused before any partner call with its code and no partner hop', async () => {
    const { useCase, recorder } = setUp({
      access: (client) => {
        throw new AccessException(AccessErrorCode.ACCESS_DENIED, `Client "${client}" has no access`);
      },
    });
    const { envelope, source } = queued();
    await useCase.execute(envelope, source);
    expect(recorder.records).toHaveLength(1);
    expect(recorder.records[0]).toMatchObject({ result: 'dead-lettered', errorCode: 'ACCESS_REVOKED' });
    expect(recorder.records[0].hops.requestOutAt).toBeUndefined();
  });

  it('counts the deliveries this instance recorded, by partner', async () => {
    const { useCase, metrics } = setUp();
    expect(await metrics.render()).not.toContain('korpu_deliveries_total{');
    for (let i = 0; i < 2; i++) {
      const { envelope, source } = queued();
      await useCase.execute(envelope, source);
    }
    expect(await metrics.render()).toContain('korpu_deliveries_total{partner="tax-service"} 2');
  });

  it.each([
    [AccessErrorCode.ACCESS_DENIED, 'ACCESS_REVOKED'],
    [AccessErrorCode.CLIENT_DISABLED, 'ACCESS_REVOKED'],
    [AccessErrorCode.UNKNOWN_CLIENT, 'CLIENT_UNKNOWN'],
  ])('dead-letters a queued message whose client now gets %s as %s, never sending it', async (accessCode, code) => {
    const { useCase, producer, sentToPartner, statuses, logged } = setUp({
      access: (client) => {
        throw new AccessException(accessCode, `Client "${client}" has no access`);
      },
    });
    const { envelope, source } = queued();
    expect(await useCase.execute(envelope, source)).toBe('dead-lettered');
    expect(sentToPartner).toHaveLength(0);
    expect(statuses.at(-1)).toMatchObject({ status: 'failed', detail: { code } });
    expect(deadLetters(producer)).toHaveLength(1);
    expect(JSON.stringify(deadLetters(producer)[0].message.headers)).toContain(code);
    expect(logged.map((entry) => entry.event)).toEqual(['failed']);
  });

  it('dead-letters a record that reuses another client\'s message id, touching neither that message\'s status nor its reply', async () => {
    const { useCase, producer, sentToPartner, statuses } = setUp({
      current: { client: 'MLSP/pensions', service: 'tax-service/GetTaxpayer', status: 'replied', reply: { messageId: 'r-1', messageType: 'taxpayer-lookup-reply', schemaVersion: '1', contentType: 'application/json', payload: '{"voen":"secret"}' } },
    });
    const { envelope, source } = queued('MLSP/benefits');
    expect(await useCase.execute(envelope, source)).toBe('dead-lettered');
    expect(sentToPartner).toHaveLength(0);
    expect(statuses).toHaveLength(0);
    expect(producer.sent.map((s) => s.topic)).toEqual(['unit.dead-letter']);
    expect(JSON.stringify(producer.sent[0].message.headers)).toContain('MESSAGE_ID_CONFLICT');
    expect(JSON.stringify(producer.sent)).not.toContain('secret');
  });

  it('lets a database failure of the access check through, so the record is delivered again', async () => {
    const { useCase, sentToPartner } = setUp({
      access: () => {
        throw new Error('connection terminated');
      },
    });
    const { envelope, source } = queued();
    await expect(useCase.execute(envelope, source)).rejects.toThrow('connection terminated');
    expect(sentToPartner).toHaveLength(0);
  });

  it('logs a reply refused for its signer, and dead-letters it at once even when retryOn lists the code', async () => {
    const signature = { format: 'jws' as const, value: 'e30..sig', certificate: '-----BEGIN CERTIFICATE-----', verification: 'verified' as const };
    const { useCase, producer, statuses, logged } = setUp({
      answer: async () => {
        throw new ReplyRefusedException(
          PartnerErrorCode.REPLY_SIGNER_NOT_PARTNER,
          'signed by someone else',
          { signer: 'subject "CN=population-registry-rsa"', expectedPartner: 'tax-service' },
          { contentType: 'application/json', payload: '{"voen":"1400057421"}', signature, requestSignature: { format: 'jws', value: 'req', verification: 'signed' } },
        );
      },
    });
    const { envelope, source } = queued();
    expect(await useCase.execute(envelope, source)).toBe('dead-lettered');
    expect(statuses.some((s) => s.status === 'retrying')).toBe(false);
    expect(logged.map((entry) => entry.event)).toEqual(['sent', 'rejected', 'failed']);
    expect(logged[0].signature).toMatchObject({ value: 'req', verification: 'signed' });
    expect(logged[1]).toMatchObject({
      direction: 'reply',
      inReplyTo: envelope.messageId,
      signature: { certificate: signature.certificate, verification: 'failed' },
      detail: { code: 'REPLY_SIGNER_NOT_PARTNER', expectedPartner: 'tax-service', signer: expect.stringContaining('population-registry') },
    });
    expect(deadLetters(producer)).toHaveLength(1);
    expect(JSON.stringify(deadLetters(producer)[0].message.headers)).toContain('REPLY_SIGNER_NOT_PARTNER');
  });

  it('retries a reply whose revocation status could not be checked under the same message id (the X-Road id the partner dedups), and counts it', async () => {
    const { useCase, producer, statuses, metrics } = setUp({
      answer: async () => {
        throw new PartnerException(PartnerErrorCode.REVOCATION_UNAVAILABLE, 'no current CRL', { signatureCode: 'SIGNATURE_CRL_UNAVAILABLE' });
      },
    });
    const { envelope, source } = queued();
    expect(await useCase.execute(envelope, source)).toBe('retrying');
    expect(statuses.at(-1)).toMatchObject({ status: 'retrying', detail: { code: 'REVOCATION_UNAVAILABLE', attempt: 1 } });
    expect(deadLetters(producer)).toHaveLength(0);
    const retried = producer.sent.filter((sent) => sent.topic.startsWith('unit.retry.'));
    expect(retried).toHaveLength(1);
    const again = EnvelopeCodec.decode(retried[0].message as never);
    expect(again).toMatchObject({ messageId: envelope.messageId, attempt: 2 });
    expect(await metrics.render()).toContain('korpu_delivery_failures_total{partner="tax-service",code="REVOCATION_UNAVAILABLE"} 1');
  });

  it.each([
    ['a partner no contract names', 'SERVICE_UNKNOWN', { service: { partner: 'no-such-partner', operation: 'GetTaxpayer' } }],
    ['an operation its partner lacks', 'SERVICE_UNKNOWN', { service: { partner: 'tax-service', operation: 'DeleteTaxpayer' } }],
    ["a message type that is not the operation's", 'MESSAGE_TYPE_MISMATCH', { messageType: 'person-lookup-request' }],
    ["a partner other than its topic's", 'RECORD_TOPIC_MISMATCH', { topic: 'unit.outbound.population-registry' }],
  ])('dead-letters a record naming %s with %s, never sending it', async (_what, code, over) => {
    const { useCase, producer, sentToPartner, statuses, metrics } = setUp();
    const { envelope, source } = queued('MLSP/benefits', over);
    expect(await useCase.execute(envelope, source)).toBe('dead-lettered');
    expect(sentToPartner).toHaveLength(0);
    expect(statuses.at(-1)).toMatchObject({ status: 'failed', detail: { code } });
    expect(deadLetters(producer)).toHaveLength(1);
    expect(JSON.stringify(deadLetters(producer)[0].message.headers)).toContain(code);
    expect(await metrics.render()).toContain(`code="${code}"`);
  });

  it('dead-letters a message our own contract cannot send (an operation the WSDL lacks) instead of redelivering it forever', async () => {
    const { useCase, producer, statuses } = setUp({
      answer: async () => {
        throw new ContractsException('no operation GetTaxpayer in the WSDL', ['tax-service: operation GetTaxpayer is not in the WSDL']);
      },
    });
    const { envelope, source } = queued();
    expect(await useCase.execute(envelope, source)).toBe('dead-lettered');
    expect(statuses.at(-1)).toMatchObject({ status: 'failed', detail: { code: 'CONTRACT_INVALID' } });
    expect(JSON.stringify(deadLetters(producer)[0].message.headers)).toContain('CONTRACT_INVALID');
  });

  it('calls the partner while "dispatched" is written, and records the reply only after it', async () => {
    const { useCase, sentToPartner, statuses, statusRepository } = setUp();
    let release!: () => void;
    const record = statusRepository.record.bind(statusRepository);
    statusRepository.record = (request, status, detail) =>
      status === 'dispatched' ? new Promise<boolean>((resolve) => (release = () => void record(request, status, detail).then(resolve))) : record(request, status, detail);
    const { envelope, source } = queued();
    const outcome = useCase.execute(envelope, source);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sentToPartner).toHaveLength(1);
    expect(statuses).toHaveLength(0);
    release();
    expect(await outcome).toBe('replied');
    expect(statuses.map((s) => s.status)).toEqual(['dispatched', 'replied']);
  });

  it('writes "retrying" after "dispatched", which it shares a rank with, even when the partner fails first', async () => {
    const { useCase, statuses, statusRepository } = setUp({
      answer: async () => {
        throw new PartnerException(PartnerErrorCode.UNAVAILABLE, 'connection refused');
      },
    });
    const record = statusRepository.record.bind(statusRepository);
    statusRepository.record = async (request, status, detail) => {
      if (status === 'dispatched') await new Promise((resolve) => setTimeout(resolve, 20));
      return record(request, status, detail);
    };
    const { envelope, source } = queued();
    expect(await useCase.execute(envelope, source)).toBe('retrying');
    expect(statuses.map((s) => s.status)).toEqual(['dispatched', 'retrying']);
  });

  it('delivers and records the reply when "dispatched" could not be written', async () => {
    const { useCase, sentToPartner, statuses, statusRepository } = setUp();
    const record = statusRepository.record.bind(statusRepository);
    statusRepository.record = (request, status, detail) =>
      status === 'dispatched' ? Promise.reject(new Error('database down')) : record(request, status, detail);
    const { envelope, source } = queued();
    expect(await useCase.execute(envelope, source)).toBe('replied');
    expect(sentToPartner).toHaveLength(1);
    expect(statuses.map((s) => s.status)).toEqual(['replied']);
  });

  it('retries a failed log write on its own: the reply status is written once', async () => {
    const { useCase, statuses, logged, messageLog } = setUp();
    const append = messageLog.append.bind(messageLog);
    let failures = 1;
    messageLog.append = (entry) => (failures-- > 0 ? Promise.reject(new Error('database down')) : append(entry));
    const { envelope, source } = queued();
    expect(await useCase.execute(envelope, source)).toBe('replied');
    expect(statuses.filter((s) => s.status === 'replied')).toHaveLength(1);
    expect(logged.map((entry) => entry.event)).toEqual(expect.arrayContaining(['sent', 'reply-received']));
  });
});
