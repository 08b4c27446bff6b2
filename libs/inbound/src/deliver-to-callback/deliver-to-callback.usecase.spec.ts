import * as path from 'node:path';
import { Envelope, EnvelopeCodec, createEnvelope } from '@korpu/envelope';
import { DELIVERY_FAILURE_TYPE } from '@korpu/exchange';
import { MessageProducer, OutgoingMessage, TopicNames } from '@korpu/messaging';
import { loadInboundCatalogue } from '../inbound-catalogue';
import { InMemoryStatuses, RecordingMessageLog } from '../testing/inbound-fakes';
import { DeliverToCallbackUseCase } from './deliver-to-callback.usecase';
import { CallbackAnswer, SubsystemCallbackAdapter } from './subsystem-callback.adapter';

const repoRoot = path.resolve(__dirname, '../../../..');
const URL = 'http://subsystem/callbacks/pensions';
const OK: CallbackAnswer = { status: 200, contentType: 'application/xml', body: '<p:GetPensionEntitlementResponse xmlns:p="urn:korpu:pension:entitlement"/>' };

/** One scripted answer (or thrown network error) per attempt; the last one repeats. */
function setUp(script: Array<CallbackAnswer | { code: string }>, options: { attempts?: number; replyTimeoutMs?: number } = {}) {
  const calls: Envelope[] = [];
  const callback = {
    post: async (_url: string, request: Envelope) => {
      const step = script[Math.min(calls.length, script.length - 1)];
      calls.push(request);
      if ('code' in step) throw Object.assign(new Error(step.code), { code: step.code });
      return step;
    },
  } as unknown as SubsystemCallbackAdapter;
  const published: Envelope[] = [];
  const producer: MessageProducer = {
    send: async (_topic: string, messages: OutgoingMessage[]) => {
      for (const m of messages) published.push(EnvelopeCodec.decode({ key: m.key, headers: m.headers, value: m.value }));
    },
  };
  const statuses = new InMemoryStatuses();
  const log = new RecordingMessageLog();
  const useCase = new DeliverToCallbackUseCase(
    loadInboundCatalogue(path.join(repoRoot, 'contracts/ministry')),
    { pensions: URL },
    callback,
    producer,
    new TopicNames('t'),
    statuses.asRepository(),
    log.asMessageLog(),
    {
      directory: '',
      replyTimeoutMs: options.replyTimeoutMs ?? 5000,
      callbackRetry: { attempts: options.attempts ?? 3, initialDelayMs: 5, maxDelayMs: 20 },
    },
  );
  return { useCase, calls, published, statuses, log };
}

const inbound = (operation = 'GetPensionEntitlement') =>
  createEnvelope({
    messageId: `portal-${Math.random()}`,
    client: 'AZ/GOV/1400000001/egov-portal',
    service: { partner: 'ministry', operation },
    messageType: 'pension-entitlement-request',
    schemaVersion: '1',
    contentType: 'application/xml',
    payload: '<p:GetPensionEntitlementRequest xmlns:p="urn:korpu:pension:entitlement"/>',
    direction: 'inbound',
  });

describe('DeliverToCallbackUseCase', () => {
  it('publishes the subsystem\'s answer as the reply and records it with the request', async () => {
    const { useCase, published, statuses } = setUp([OK]);
    const request = inbound();
    await expect(useCase.execute(request)).resolves.toBe('replied');
    expect(published).toMatchObject([{ inReplyTo: request.messageId, client: 'MLSP/pensions', messageType: 'pension-entitlement-reply', payload: OK.body }]);
    expect(await statuses.find(request.messageId)).toMatchObject({ status: 'replied', reply: { messageId: published[0].messageId } });
  });

  it.each([
    ['a 503', { status: 503, contentType: 'application/problem+json', body: '' }],
    ['a refused connection', { code: 'ECONNREFUSED' }],
    ['a reset connection', { code: 'ECONNRESET' }],
    ['a timeout', { code: 'ECONNABORTED' }],
  ])('tries again after %s and publishes the answer that follows', async (_what, failure) => {
    const { useCase, calls, published } = setUp([failure, OK]);
    await expect(useCase.execute(inbound())).resolves.toBe('replied');
    expect(calls).toHaveLength(2);
    expect(published[0].payload).toBe(OK.body);
  });

  it('does not try again after a 4xx', async () => {
    const { useCase, calls, published } = setUp([{ status: 400, contentType: 'application/problem+json', body: '' }, OK]);
    await expect(useCase.execute(inbound())).resolves.toBe('failed');
    expect(calls).toHaveLength(1);
    expect(published[0].messageType).toBe(DELIVERY_FAILURE_TYPE);
  });

  it('gives up after the last attempt with a failure reply, recorded as failed and logged', async () => {
    const { useCase, calls, published, statuses, log } = setUp([{ status: 503, contentType: '', body: '' }], { attempts: 3 });
    const request = inbound();
    await expect(useCase.execute(request)).resolves.toBe('failed');
    expect(calls).toHaveLength(3);
    expect(JSON.parse(published[0].payload)).toMatchObject({ code: 'INBOUND_SUBSYSTEM_FAILED', message: expect.stringContaining('HTTP 503') });
    expect(await statuses.find(request.messageId)).toMatchObject({ status: 'failed', error: { code: 'INBOUND_SUBSYSTEM_FAILED' } });
    expect(log.entries).toMatchObject([{ event: 'failed', messageId: request.messageId, detail: { code: 'INBOUND_SUBSYSTEM_FAILED', attempts: 3 } }]);
  });

  it('does not try again when the caller\'s deadline leaves no room', async () => {
    const { useCase, calls } = setUp([{ code: 'ECONNREFUSED' }, OK], { replyTimeoutMs: 1 });
    const request = { ...inbound(), createdAt: new Date(Date.now() - 1000).toISOString() };
    await expect(useCase.execute(request)).resolves.toBe('failed');
    expect(calls).toHaveLength(1);
  });

  it('answers a redelivered request from the recorded reply without asking the subsystem again', async () => {
    const { useCase, calls, published } = setUp([OK]);
    const request = inbound();
    await useCase.execute(request);
    await expect(useCase.execute(request)).resolves.toBe('already-replied');
    expect(calls).toHaveLength(1);
    expect(published.map((reply) => reply.messageId)).toEqual([published[0].messageId, published[0].messageId]);
  });

  it('leaves owners without a callback alone', async () => {
    const { useCase, calls } = setUp([OK]);
    await expect(useCase.execute(inbound('GetDisabilityStatus'))).resolves.toBe('not-ours');
    expect(calls).toHaveLength(0);
  });
});
