import * as path from 'node:path';
import { AccessControlService, AccessErrorCode, AccessException } from '@korpu/access';
import { Envelope, EnvelopeCodec, createReply } from '@korpu/envelope';
import { DELIVERY_FAILURE_TYPE, ReplyWaiter } from '@korpu/exchange';
import { MessageProducer, OutgoingMessage, TopicNames } from '@korpu/messaging';
import { SchemaRegistry, schemaSamples } from '@korpu/schemas';
import { loadInboundCatalogue } from '../inbound-catalogue';
import { InboundErrorCode } from '../inbound.exception';
import { HandleInboundRequestUseCase } from './handle-inbound-request.usecase';

const repoRoot = path.resolve(__dirname, '../../../..');
let schemas: SchemaRegistry;

beforeAll(async () => {
  schemas = await SchemaRegistry.load({ directory: path.join(repoRoot, 'schemas') });
});

afterAll(() => schemas.dispose());

/** A producer that hands each request to `answer` and feeds its reply (if any) to the waiter. */
function setUp(answer: (request: Envelope) => Envelope | undefined, denied = false) {
  const waiter = new ReplyWaiter();
  const sent: Array<{ topic: string; messages: OutgoingMessage[] }> = [];
  const producer: MessageProducer = {
    send: async (topic, messages) => {
      sent.push({ topic, messages });
      const request = EnvelopeCodec.decode({ key: messages[0].key, headers: messages[0].headers, value: messages[0].value });
      const reply = answer(request);
      if (reply) setImmediate(() => waiter.deliver(reply));
    },
  };
  const access = {
    check: async () => {
      if (denied) throw new AccessException(AccessErrorCode.ACCESS_DENIED, 'no');
    },
  } as unknown as AccessControlService;
  const useCase = new HandleInboundRequestUseCase(
    loadInboundCatalogue(path.join(repoRoot, 'contracts/ministry')),
    schemas,
    access,
    producer,
    new TopicNames('t'),
    waiter,
  );
  return { useCase, sent };
}

const request = (fin = '5ZJBKQ2') => ({
  clientId: 'AZ/GOV/1400000001/egov-portal',
  operation: 'GetPensionEntitlement',
  payload: schemaSamples.pensionEntitlementRequestXml({ fin }),
  callerMessageId: 'portal-1',
});

const replyTo = (payload: string, messageType = 'pension-entitlement-reply') => (req: Envelope) =>
  createReply(req, { messageType, schemaVersion: '1', contentType: 'application/xml', payload, client: 'MLSP/pensions' });

describe('HandleInboundRequestUseCase', () => {
  it('puts the request on the owner\'s inbound topic and returns the owner\'s reply', async () => {
    const { useCase, sent } = setUp(replyTo(schemaSamples.pensionEntitlementReplyXml(0)));
    const result = await useCase.execute(request(), 1000);
    expect(sent[0].topic).toBe('t.inbound.pensions');
    expect(result.request).toMatchObject({ direction: 'inbound', service: { partner: 'ministry', operation: 'GetPensionEntitlement' }, correlationId: 'portal-1' });
    expect(result.reply.inReplyTo).toBe(result.request.messageId);
  });

  it('refuses a payload against the request schema before anything is queued', async () => {
    const { useCase, sent } = setUp(() => undefined);
    await expect(useCase.execute(request('bad'), 1000)).rejects.toMatchObject({ code: 'SCHEMA_VALIDATION_FAILED' });
    expect(sent).toHaveLength(0);
  });

  it('refuses a client without the right before anything is queued', async () => {
    const { useCase, sent } = setUp(() => undefined, true);
    await expect(useCase.execute(request(), 1000)).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    expect(sent).toHaveLength(0);
  });

  it.each([
    ['no reply in time', () => undefined, InboundErrorCode.REPLY_TIMEOUT],
    ['a failure reply', replyTo('{"code":"X","message":"down"}', DELIVERY_FAILURE_TYPE), InboundErrorCode.SUBSYSTEM_FAILED],
    ['a reply that breaks its schema', replyTo('<p:GetPensionEntitlementResponse xmlns:p="urn:korpu:pension:entitlement"/>'), InboundErrorCode.REPLY_INVALID],
  ])('reports %s with a stable code', async (_what, answer, code) => {
    const { useCase } = setUp(answer);
    await expect(useCase.execute(request(), 200)).rejects.toMatchObject({ code });
  });

  it('knows only the services of services.json', async () => {
    const { useCase } = setUp(() => undefined);
    await expect(useCase.execute({ ...request(), operation: 'DeletePension' }, 200)).rejects.toMatchObject({ code: InboundErrorCode.SERVICE_UNKNOWN });
  });
});
