import { AccessControlService } from '@korpu/access';
import { PartnerConfig, PartnerDirectory } from '@korpu/contracts';
import { Envelope, EnvelopeCodec } from '@korpu/envelope';
import { LogEntry, MessageLog } from '@korpu/message-log';
import { MessageProducer, OutgoingMessage, TopicNames } from '@korpu/messaging';
import { MessageRecord, MessageStatus, MessageStatusRepository } from '@korpu/tracking';
import { PayloadValidator } from '../payload-validator.port';
import { SubmitMessageCommand } from './submit-message.command';
import { SubmitMessageUseCase } from './submit-message.usecase';
import { OperationalRecorder, OperationalRecordInput } from '@korpu/operational-monitoring';
import { ClaimHolder } from './claim-holder';

const taxService: PartnerConfig = {
  id: 'tax-service',
  name: 'Tax',
  protocol: 'rest',
  contractFile: '/dev/null',
  endpoint: { url: 'http://127.0.0.1:1' },
  signature: 'jws',
  signers: [],
  timeoutMs: 1000,
  maxConcurrency: 2,
  maxWaitingExchanges: 4,
  maxWaitingExchangesPerClient: 3,
  ordering: 'correlation',
  retry: { attempts: 1, initialDelayMs: 0, maxDelayMs: 0, multiplier: 1, jitter: 0, retryOn: [] },
  operations: {
    GetTaxpayer: {
      name: 'GetTaxpayer',
      method: 'POST',
      path: '/x',
      request: { type: 'taxpayer-lookup-request', version: '1' },
      reply: { type: 'taxpayer-lookup-reply', version: '1' },
    },
  },
};

class RecordingProducer extends MessageProducer {
  sent: Array<{ topic: string; messages: OutgoingMessage[] }> = [];
  failWith?: Error;
  async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.sent.push({ topic, messages });
  }
}

class InMemoryStatuses {
  records = new Map<string, MessageRecord>();
  failWrites = false;
  released: string[] = [];
  async find(id: string) {
    return this.records.get(id);
  }
  /** Insert-if-absent, like the repository's INSERT ... ON CONFLICT: synchronous here, so concurrent claims race for real. */
  async claim(envelope: Envelope) {
    if (this.records.has(envelope.messageId)) return false;
    this.put(envelope, MessageStatus.CLAIMED);
    return true;
  }
  async release(id: string) {
    if (this.records.get(id)?.status === MessageStatus.CLAIMED) this.records.delete(id);
    this.released.push(id);
  }
  async record(envelope: Envelope, status: MessageStatus) {
    if (this.failWrites) throw new Error('database down');
    this.put(envelope, status);
    return true;
  }
  private put(envelope: Envelope, status: MessageStatus) {
    this.records.set(envelope.messageId, {
      messageId: envelope.messageId,
      correlationId: envelope.correlationId,
      client: envelope.client,
      service: `${envelope.service.partner}/${envelope.service.operation}`,
      messageType: envelope.messageType,
      schemaVersion: envelope.schemaVersion,
      direction: envelope.direction,
      status,
      createdAt: envelope.createdAt,
      updatedAt: envelope.createdAt,
      attempts: 0,
      history: [],
    });
  }
}

function setUp() {
  const producer = new RecordingProducer();
  const statuses = new InMemoryStatuses();
  const denied = new Set<string>();
  const messageLog = { entries: [] as LogEntry[], append: async (entry: LogEntry) => void messageLog.entries.push(entry) };
  const access = { check: async (client: string | undefined) => { if (!client || denied.has(client)) throw new Error(`denied ${client}`); } };
  const validator: PayloadValidator = { validate: async (_t, version) => ({ warnings: version === '0' ? ['deprecated'] : [] }) };
  const records: OperationalRecordInput[] = [];
  const recorder = { record: (input: OperationalRecordInput) => void records.push(input) };
  const useCase = new SubmitMessageUseCase(
    new PartnerDirectory([taxService]),
    access as unknown as AccessControlService,
    validator,
    producer,
    statuses as unknown as MessageStatusRepository,
    new TopicNames('korpu'),
    messageLog as unknown as MessageLog,
    { id: 'holder-spec' } as ClaimHolder,
    recorder as unknown as OperationalRecorder,
  );
  return { useCase, producer, statuses, denied, messageLog, records };
}

const command = (body: Record<string, unknown> = {}) =>
  SubmitMessageCommand.create({
    client: 'MLSP/pensions',
    body: { service: 'tax-service/GetTaxpayer', payload: { voen: '1400057421' }, ...body },
  });

describe('SubmitMessageUseCase', () => {
  it('publishes the envelope to the partner topic keyed by correlation id, then records it accepted', async () => {
    const { useCase, producer, statuses, messageLog } = setUp();
    const result = await useCase.execute(command());
    expect(result.status).toBe('accepted');
    expect(messageLog.entries).toMatchObject([{ event: 'received', messageId: result.messageId }]);
    expect(producer.sent).toHaveLength(1);
    expect(producer.sent[0].topic).toBe('korpu.outbound.tax-service');
    const envelope = EnvelopeCodec.decode(producer.sent[0].messages[0]);
    expect(envelope.messageId).toBe(result.messageId);
    expect(producer.sent[0].messages[0].key).toBe(result.correlationId);
    expect(envelope.messageType).toBe('taxpayer-lookup-request');
    expect(envelope.schemaVersion).toBe('1');
    expect(statuses.records.get(result.messageId)?.status).toBe('accepted');
  });

  it('answers with the first result when the same message id comes again, without sending twice', async () => {
    const { useCase, producer } = setUp();
    const first = await useCase.execute(command({ messageId: 'pension-2026-0001' }));
    const second = await useCase.execute(command({ messageId: 'pension-2026-0001' }));
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.messageId).toBe('pension-2026-0001');
    expect(producer.sent).toHaveLength(1);
  });

  it('sends a message once when two submits of its id arrive at the same time; the loser is told to ask again', async () => {
    const { useCase, producer } = setUp();
    const results = await Promise.allSettled([
      useCase.execute(command({ messageId: 'pension-concurrent-1' })),
      useCase.execute(command({ messageId: 'pension-concurrent-1' })),
    ]);
    expect(producer.sent).toHaveLength(1);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'MESSAGE_IN_PROGRESS', status: 409, retryable: true });
    // Once the first is accepted, the same id gets the first result.
    expect(await useCase.execute(command({ messageId: 'pension-concurrent-1' }))).toMatchObject({ duplicate: true, status: 'accepted' });
    expect(producer.sent).toHaveLength(1);
  });

  it('gives a claimed id back when Kafka did not take its message, so it can be sent again', async () => {
    const { useCase, producer, statuses } = setUp();
    producer.failWith = new Error('broker down');
    await expect(useCase.execute(command({ messageId: 'pension-retry-1' }))).rejects.toMatchObject({ code: 'BROKER_UNAVAILABLE' });
    expect(statuses.released).toEqual(['pension-retry-1']);
    producer.failWith = undefined;
    expect(await useCase.execute(command({ messageId: 'pension-retry-1' }))).toMatchObject({ duplicate: false, status: 'accepted' });
    expect(producer.sent).toHaveLength(1);
  });

  it('refuses a message id already used by another client', async () => {
    const { useCase } = setUp();
    await useCase.execute(command({ messageId: 'shared-id' }));
    const other = SubmitMessageCommand.create({
      client: 'MLSP/benefits',
      body: { service: 'tax-service/GetTaxpayer', payload: { voen: '1400057421' }, messageId: 'shared-id' },
    });
    await expect(useCase.execute(other)).rejects.toMatchObject({ code: 'MESSAGE_ID_CONFLICT', status: 409 });
  });

  it('does not accept a message Kafka did not take, and logs its receipt then its failure', async () => {
    const { useCase, producer, statuses, messageLog } = setUp();
    producer.failWith = new Error('broker down');
    await expect(useCase.execute(command({ messageId: 'not-queued-1' }))).rejects.toMatchObject({ code: 'BROKER_UNAVAILABLE', status: 503 });
    expect(statuses.records.size).toBe(0);
    expect(messageLog.entries).toMatchObject([
      { event: 'received', messageId: 'not-queued-1' },
      { event: 'failed', messageId: 'not-queued-1', payload: undefined, detail: { code: 'BROKER_UNAVAILABLE' } },
    ]);
    expect(messageLog.entries[0].payload).toContain('1400057421');
  });

  it('answers once the receipt is logged, and still accepts a message Kafka holds when the log is down', async () => {
    const { useCase, messageLog } = setUp();
    let release!: () => void;
    messageLog.append = (entry: LogEntry) => new Promise<undefined>((resolve) => (release = () => { messageLog.entries.push(entry); resolve(undefined); }));
    let answered = false;
    const pending = useCase.execute(command()).then((result) => ((answered = true), result));
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    release();
    expect((await pending).status).toBe('accepted');
    messageLog.append = () => Promise.reject(new Error('database down'));
    expect((await useCase.execute(command())).status).toBe('accepted');
  });

  it('still accepts a message Kafka holds when the status write fails', async () => {
    const { useCase, producer, statuses } = setUp();
    statuses.failWrites = true;
    const result = await useCase.execute(command());
    expect(result.status).toBe('accepted');
    expect(producer.sent).toHaveLength(1);
  });

  it('refuses an unknown service and a wrong message type before sending anything', async () => {
    const { useCase, producer } = setUp();
    await expect(
      useCase.execute(SubmitMessageCommand.create({ client: 'MLSP/pensions', body: { service: 'tax-service/Nope', payload: {} } })),
    ).rejects.toMatchObject({ code: 'SERVICE_UNKNOWN', status: 404 });
    await expect(useCase.execute(command({ messageType: 'pension-entitlement-request' }))).rejects.toMatchObject({
      code: 'MESSAGE_TYPE_MISMATCH',
    });
    expect(producer.sent).toHaveLength(0);
  });

  it('refuses a client without access before sending anything', async () => {
    const { useCase, producer, denied } = setUp();
    denied.add('MLSP/pensions');
    await expect(useCase.execute(command())).rejects.toThrow(/denied/);
    expect(producer.sent).toHaveLength(0);
  });

  it('leaves a refused operational record for a refusal of a known service, none for an unknown service or a busy broker', async () => {
    const { useCase, producer, records } = setUp();
    await expect(useCase.execute(command({ messageType: 'pension-entitlement-request', messageId: 'refused-1', correlationId: 'corr-1' }))).rejects.toMatchObject({
      code: 'MESSAGE_TYPE_MISMATCH',
    });
    expect(records).toEqual([
      expect.objectContaining({
        direction: 'outbound',
        client: 'MLSP/pensions',
        service: 'tax-service/GetTaxpayer',
        messageId: 'refused-1',
        correlationId: 'corr-1',
        result: 'refused',
        errorCode: 'MESSAGE_TYPE_MISMATCH',
        requestSize: Buffer.byteLength(JSON.stringify({ voen: '1400057421' })),
      }),
    ]);
    expect(records[0].hops.requestInAt <= records[0].hops.responseOutAt!).toBe(true);
    await expect(useCase.execute(SubmitMessageCommand.create({ client: 'MLSP/pensions', body: { service: 'tax-service/Nope', payload: {} } }))).rejects.toThrow();
    producer.failWith = new Error('broker down');
    await expect(useCase.execute(command())).rejects.toMatchObject({ code: 'BROKER_UNAVAILABLE' });
    expect(records).toHaveLength(1);
  });

  it('passes on the validator\'s deprecation warnings', async () => {
    const { useCase } = setUp();
    expect((await useCase.execute(command({ schemaVersion: '0' }))).warnings).toEqual(['deprecated']);
  });
});
