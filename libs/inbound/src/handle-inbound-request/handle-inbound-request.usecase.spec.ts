import { OperationalRecordInput, OperationalRecorder } from '@korpu/operational-monitoring';
import { ReplyWaiter } from '@korpu/envelope';
import * as path from 'node:path';
import { AccessControlService, AccessErrorCode, AccessException } from '@korpu/access';
import { Envelope, EnvelopeCodec, createReply } from '@korpu/envelope';
import { DELIVERY_FAILURE_TYPE } from '@korpu/exchange';
import { MessageProducer, OutgoingMessage, TopicNames } from '@korpu/messaging';
import { SchemaRegistry, schemaSamples } from '@korpu/schemas';
import { loadInboundCatalogue } from '../inbound-catalogue';
import { InboundErrorCode } from '../inbound.exception';
import { RecordInboundRejectionUseCase } from '../record-inbound-rejection/record-inbound-rejection.usecase';
import { InMemoryStatuses, RecordingMessageLog } from '../testing/inbound-fakes';
import { HandleInboundRequestUseCase, InboundRequest } from './handle-inbound-request.usecase';

const repoRoot = path.resolve(__dirname, '../../../..');
let schemas: SchemaRegistry;

beforeAll(async () => {
  schemas = await SchemaRegistry.load({ directory: path.join(repoRoot, 'schemas') });
});

afterAll(() => schemas.dispose());

interface SetUpOptions {
  denied?: boolean;
  /** Owners whose callback delivery (not the endpoint) records the outcome. */
  callbacks?: Record<string, string>;
  /** How long the owner takes to answer. */
  replyDelayMs?: number;
}

/** A producer that hands each request to `answer` and feeds its reply (if any) to the waiter. */
function setUp(answer: (request: Envelope) => Envelope | undefined, options: SetUpOptions = {}) {
  const waiter = new ReplyWaiter();
  const sent: Array<{ topic: string; messages: OutgoingMessage[] }> = [];
  const producer: MessageProducer = {
    send: async (topic, messages) => {
      sent.push({ topic, messages });
      const request = EnvelopeCodec.decode({ key: messages[0].key, headers: messages[0].headers, value: messages[0].value });
      const reply = answer(request);
      if (reply) setTimeout(() => waiter.deliver(reply), options.replyDelayMs ?? 0);
    },
  };
  const access = {
    check: async () => {
      if (options.denied) throw new AccessException(AccessErrorCode.ACCESS_DENIED, 'no');
    },
  } as unknown as AccessControlService;
  const statuses = new InMemoryStatuses();
  const log = new RecordingMessageLog();
  const recorder = new (class extends OperationalRecorder {
    readonly records: OperationalRecordInput[] = [];
    record(input: OperationalRecordInput): void {
      this.records.push(input);
    }
  })();
  const catalogue = loadInboundCatalogue(path.join(repoRoot, 'contracts/ministry'));
  const useCase = new HandleInboundRequestUseCase(
    catalogue,
    schemas,
    access,
    producer,
    new TopicNames('t'),
    waiter,
    statuses.asRepository(),
    log.asMessageLog(),
    new RecordInboundRejectionUseCase(log.asMessageLog(), catalogue, { directory: '' }),
    options.callbacks ?? {},
    recorder,
  );
  return { useCase, sent, statuses, log, waiter, records: recorder.records };
}

const PARTNER_SIGNATURE = { format: 'xmldsig' as const, value: '<ds:Signature/>', certificate: '-----BEGIN CERTIFICATE-----', verification: 'verified' as const };

const request = (fin = '5ZJBKQ2', callerMessageId = 'portal-1'): InboundRequest => ({
  clientId: 'AZ/GOV/1400000001/egov-portal',
  operation: 'GetPensionEntitlement',
  payload: schemaSamples.pensionEntitlementRequestXml({ fin }),
  callerMessageId,
  signature: PARTNER_SIGNATURE,
});

const replyTo = (payload: string, messageType = 'pension-entitlement-reply') => (req: Envelope) =>
  createReply(req, { messageType, schemaVersion: '1', contentType: 'application/xml', payload, client: 'MLSP/pensions' });

const validReply = () => replyTo(schemaSamples.pensionEntitlementReplyXml(0));

describe('HandleInboundRequestUseCase', () => {
  it('puts the request on the owner\'s inbound topic under the caller\'s id and returns the owner\'s reply', async () => {
    const { useCase, sent } = setUp(validReply());
    const result = await useCase.execute(request(), 1000);
    expect(sent[0].topic).toBe('t.inbound.pensions');
    expect(result.request).toMatchObject({
      messageId: 'portal-1',
      correlationId: 'portal-1',
      direction: 'inbound',
      service: { partner: 'ministry', operation: 'GetPensionEntitlement' },
    });
    expect(result.reply.inReplyTo).toBe('portal-1');
    expect(result.duplicate).toBe(false);
  });

  it('records the request accepted and then replied, and logs it received with the partner\'s verified signature', async () => {
    const { useCase, statuses, log } = setUp(validReply());
    await useCase.execute(request(), 1000);
    const record = await statuses.find('portal-1');
    expect(record).toMatchObject({ status: 'replied', direction: 'inbound', client: 'AZ/GOV/1400000001/egov-portal', service: 'ministry/GetPensionEntitlement' });
    expect(record!.history.map((event) => event.status)).toEqual(['accepted', 'replied']);
    expect(log.entries).toMatchObject([{ event: 'received', messageId: 'portal-1', signature: PARTNER_SIGNATURE }]);
  });

  it('logs the reply as sent with our signature', async () => {
    const { useCase, log } = setUp(validReply());
    const result = await useCase.execute(request(), 1000);
    await useCase.recordReplySent(result, { format: 'xmldsig', value: '<ds:Signature>ours</ds:Signature>', certificate: 'OUR PEM' });
    expect(log.events('portal-1')).toEqual(['received', 'reply-sent']);
    expect(log.entries[1]).toMatchObject({
      direction: 'reply',
      inReplyTo: 'portal-1',
      messageId: result.reply.messageId,
      signature: { format: 'xmldsig', value: '<ds:Signature>ours</ds:Signature>', certificate: 'OUR PEM', verification: 'signed' },
    });
  });

  it('leaves one operational record once the signed answer leaves: sizes, hops in order, our signer', async () => {
    const { useCase, records } = setUp(validReply());
    const receivedAt = Date.now() - 5;
    const result = await useCase.execute({ ...request(), receivedAt }, 1000);
    expect(records).toHaveLength(0);
    await useCase.recordReplySent(result, { format: 'xmldsig', value: '<ds:Signature/>', certificate: 'not a certificate' });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      direction: 'inbound',
      client: 'AZ/GOV/1400000001/egov-portal',
      service: 'ministry/GetPensionEntitlement',
      messageId: 'portal-1',
      replyMessageId: result.reply.messageId,
      requestSize: Buffer.byteLength(request().payload),
      responseSize: Buffer.byteLength(result.reply.payload),
      result: 'succeeded',
    });
    const { requestInAt, requestQueuedAt, responseInAt, responseOutAt } = records[0].hops;
    expect(requestInAt).toBe(new Date(receivedAt).toISOString());
    const order = [requestInAt, requestQueuedAt, responseInAt, responseOutAt].map((at) => Date.parse(at as string));
    expect(order.every(Number.isFinite)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // A retry of the same id answered from the first one is no new exchange.
    const again = await useCase.execute(request(), 1000);
    await useCase.recordReplySent(again, { format: 'xmldsig', value: '<ds:Signature/>' });
    expect(records).toHaveLength(1);
  });

  it('records a request the caller got a fault for as dead-lettered with the stable code, and a refused one as refused', async () => {
    const { useCase, records } = setUp(() => undefined);
    await expect(useCase.execute(request(), 50)).rejects.toMatchObject({ code: InboundErrorCode.REPLY_TIMEOUT });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ result: 'dead-lettered', errorCode: InboundErrorCode.REPLY_TIMEOUT });
    expect(records[0].hops.requestQueuedAt).toEqual(expect.any(String));
    expect(records[0].hops.responseInAt).toBeUndefined();
    const denied = setUp(validReply(), { denied: true });
    await expect(denied.useCase.execute(request(), 1000)).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    expect(denied.records).toEqual([
      expect.objectContaining({ direction: 'inbound', result: 'refused', errorCode: 'ACCESS_DENIED', service: 'ministry/GetPensionEntitlement', messageId: 'portal-1' }),
    ]);
    // Nothing queued for it, so no hop between arrival and answer.
    expect(denied.records[0].hops.requestQueuedAt).toBeUndefined();
    // An operation we do not offer is refused without a record (callers cannot make up services in the records).
    const unknown = setUp(validReply());
    await expect(unknown.useCase.execute({ ...request(), operation: 'NoSuchOperation' }, 1000)).rejects.toBeDefined();
    expect(unknown.records).toHaveLength(0);
  });

  it('leaves the reply to be recorded by callback delivery where the owner has a callback', async () => {
    const { useCase, statuses } = setUp(validReply(), { callbacks: { pensions: 'http://subsystem/callbacks/pensions' } });
    await useCase.execute(request(), 1000);
    expect((await statuses.find('portal-1'))!.status).toBe('accepted');
  });

  it('refuses a payload against the request schema before anything is queued, and logs it rejected', async () => {
    const { useCase, sent, log, statuses } = setUp(() => undefined);
    await expect(useCase.execute(request('bad'), 1000)).rejects.toMatchObject({ code: 'SCHEMA_VALIDATION_FAILED' });
    expect(sent).toHaveLength(0);
    expect(statuses.records.size).toBe(0);
    expect(log.entries).toMatchObject([
      { event: 'rejected', messageId: 'portal-1', direction: 'inbound', service: 'ministry/GetPensionEntitlement', detail: { code: 'SCHEMA_VALIDATION_FAILED' } },
    ]);
  });

  it.each([
    ['too long', 'u'.repeat(201)],
    ['with a control character', 'AZ123\r\nX: 1'],
  ])('refuses a user id %s before anything is queued, and logs it rejected', async (_what, userId) => {
    const { useCase, sent, log } = setUp(() => undefined);
    await expect(useCase.execute({ ...request(), userId }, 1000)).rejects.toMatchObject({ code: 'USER_ID_INVALID', status: 400 });
    expect(sent).toHaveLength(0);
    expect(log.entries).toMatchObject([{ event: 'rejected', detail: { code: 'USER_ID_INVALID' } }]);
  });

  it('refuses a client without the right before anything is queued, and logs it rejected', async () => {
    const { useCase, sent, log } = setUp(() => undefined, { denied: true });
    await expect(useCase.execute(request(), 1000)).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    expect(sent).toHaveLength(0);
    expect(log.entries).toMatchObject([{ event: 'rejected', detail: { code: 'ACCESS_DENIED' }, signature: { verification: 'verified' } }]);
  });

  it.each([
    ['no reply in time', () => undefined, InboundErrorCode.REPLY_TIMEOUT],
    ['a failure reply', replyTo('{"code":"X","message":"down"}', DELIVERY_FAILURE_TYPE), InboundErrorCode.SUBSYSTEM_FAILED],
    ['a reply that breaks its schema', replyTo('<p:GetPensionEntitlementResponse xmlns:p="urn:korpu:pension:entitlement"/>'), InboundErrorCode.REPLY_INVALID],
  ])('reports %s with a stable code', async (_what, answer, code) => {
    const { useCase } = setUp(answer);
    await expect(useCase.execute(request(), 200)).rejects.toMatchObject({ code });
  });

  it('records a failure reply as failed and logs it', async () => {
    const { useCase, statuses, log } = setUp(replyTo('{"code":"X","message":"down"}', DELIVERY_FAILURE_TYPE));
    await expect(useCase.execute(request(), 1000)).rejects.toMatchObject({ code: InboundErrorCode.SUBSYSTEM_FAILED });
    expect(await statuses.find('portal-1')).toMatchObject({ status: 'failed', error: { code: 'X', message: 'down' } });
    expect(log.events('portal-1')).toEqual(['received', 'failed']);
  });

  it('keeps a request without a caller id apart under an id of its own', async () => {
    const { useCase } = setUp(validReply());
    const result = await useCase.execute({ ...request(), callerMessageId: undefined }, 1000);
    expect(result.request.messageId).toMatch(/^[0-9A-Z]{26}$/);
  });

  it('knows only the services of services.json', async () => {
    const { useCase } = setUp(() => undefined);
    await expect(useCase.execute({ ...request(), operation: 'DeletePension' }, 200)).rejects.toMatchObject({ code: InboundErrorCode.SERVICE_UNKNOWN });
  });

  describe('a retry of the same caller id', () => {
    it('gets the recorded reply without queueing the request again', async () => {
      const { useCase, sent, log } = setUp(validReply());
      const first = await useCase.execute(request(), 1000);
      const again = await useCase.execute(request(), 1000);
      expect(sent).toHaveLength(1);
      expect(again).toMatchObject({ duplicate: true, reply: { messageId: first.reply.messageId, inReplyTo: 'portal-1', payload: first.reply.payload } });
      expect(log.entries.filter((entry) => entry.event === 'received').map((entry) => entry.detail)).toEqual([{ attempt: 1 }, { attempt: 1, duplicate: true }]);
    });

    it('waits for the first while it is in flight instead of queueing a second copy', async () => {
      const { useCase, sent } = setUp(validReply(), { replyDelayMs: 100 });
      const [first, again] = await Promise.all([useCase.execute(request(), 1000), useCase.execute(request(), 1000)]);
      expect(sent).toHaveLength(1);
      expect(first.duplicate).toBe(false);
      expect(again).toMatchObject({ duplicate: true, reply: { messageId: first.reply.messageId } });
    });

    it('waits for the reply of a request accepted by another instance', async () => {
      const { useCase, sent, statuses, waiter } = setUp(() => undefined);
      // Another instance accepted portal-1: its record is here, its reply comes from the replies topic.
      const accepted = (await setUp(validReply()).useCase.execute(request(), 1000)).request;
      await statuses.record(accepted, 'accepted');
      const pending = useCase.execute(request(), 1000);
      await new Promise((resolve) => setTimeout(resolve, 20));
      waiter.deliver(validReply()(accepted));
      await expect(pending).resolves.toMatchObject({ duplicate: true, reply: { inReplyTo: 'portal-1' } });
      expect(sent).toHaveLength(0);
    });

    it('gets the recorded reply when it was recorded between the look-up and the wait', async () => {
      const { useCase, statuses } = setUp(() => undefined);
      const accepted = (await setUp(validReply()).useCase.execute(request(), 1000)).request;
      await statuses.record(accepted, 'accepted');
      const find = statuses.find.bind(statuses);
      let lookups = 0;
      statuses.find = async (id: string) => {
        lookups += 1;
        if (lookups === 2) await statuses.recordReply(accepted, validReply()(accepted));
        return find(id);
      };
      const started = Date.now();
      await expect(useCase.execute(request(), 1000)).resolves.toMatchObject({ duplicate: true });
      expect(Date.now() - started).toBeLessThan(500);
    });

    it('gets the first request\'s failure', async () => {
      const { useCase, sent } = setUp(replyTo('{"code":"INBOUND_SUBSYSTEM_FAILED","message":"down"}', DELIVERY_FAILURE_TYPE));
      await expect(useCase.execute(request(), 1000)).rejects.toMatchObject({ code: InboundErrorCode.SUBSYSTEM_FAILED });
      await expect(useCase.execute(request(), 1000)).rejects.toMatchObject({ code: InboundErrorCode.SUBSYSTEM_FAILED });
      expect(sent).toHaveLength(1);
    });

    it('is refused from another client, and logged rejected', async () => {
      const { useCase, sent, log } = setUp(validReply());
      await useCase.execute(request(), 1000);
      const intruder = { ...request(), clientId: 'AZ/GOV/1400000002/population-registry' };
      await expect(useCase.execute(intruder, 1000)).rejects.toMatchObject({ code: InboundErrorCode.MESSAGE_ID_CONFLICT, status: 409 });
      expect(sent).toHaveLength(1);
      expect(log.entries.at(-1)).toMatchObject({ event: 'rejected', client: 'AZ/GOV/1400000002/population-registry', detail: { code: 'MESSAGE_ID_CONFLICT' } });
    });

    it('is refused for another service', async () => {
      const { useCase } = setUp(validReply());
      await useCase.execute(request(), 1000);
      const payload = '<d:GetDisabilityStatusRequest xmlns:d="urn:korpu:disability:status"><d:Fin>5ZJBKQ2</d:Fin></d:GetDisabilityStatusRequest>';
      const other = { ...request(), operation: 'GetDisabilityStatus', payload };
      await expect(useCase.execute(other, 1000)).rejects.toMatchObject({ code: InboundErrorCode.MESSAGE_ID_CONFLICT });
    });
  });
});
