import { Logger } from '@nestjs/common';
import { PartnerConfig, PartnerDirectory } from '@korpu/contracts';
import { createEnvelope, createReply, Envelope, ReplyWaiter } from '@korpu/envelope';
import { ExchangeErrorCode, ExchangeException } from '../exchange.exception';
import { SubmitMessageCommand } from '../submit-message/submit-message.command';
import { SubmitMessageUseCase, SubmitResult } from '../submit-message/submit-message.usecase';
import { ExchangeAdmission } from './exchange-admission';
import { ExchangeMessageUseCase } from './exchange-message.usecase';

const partner = (id: string, maxWaitingExchanges: number) =>
  ({
    id,
    maxWaitingExchanges,
    maxWaitingExchangesPerClient: maxWaitingExchanges,
    operations: { Lookup: { name: 'Lookup', request: { type: `${id}-request`, version: '1' }, reply: { type: `${id}-reply`, version: '1' } } },
  }) as unknown as PartnerConfig;

/** A submit that queues nothing: it records what it was asked and hands the envelope to the test. */
class FakeSubmit {
  submitted: Envelope[] = [];
  failWith?: Error;
  async execute(command: SubmitMessageCommand, messageId: string): Promise<SubmitResult> {
    if (this.failWith) throw this.failWith;
    const envelope = createEnvelope({
      messageId,
      client: command.client as string,
      service: command.service,
      messageType: `${command.service.partner}-request`,
      schemaVersion: '1',
      contentType: 'application/json',
      payload: JSON.stringify(command.payload),
      attempt: 1,
    });
    this.submitted.push(envelope);
    return { messageId, correlationId: envelope.correlationId, status: 'accepted' as SubmitResult['status'], duplicate: false, warnings: [], envelope };
  }
}

function setUp() {
  jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  const submit = new FakeSubmit();
  const replies = new ReplyWaiter();
  const admission = new ExchangeAdmission({ maxWaiting: 10 });
  const useCase = new ExchangeMessageUseCase(
    submit as unknown as SubmitMessageUseCase,
    replies,
    new PartnerDirectory([partner('tax-service', 2), partner('population-registry', 2)]),
    admission,
  );
  const command = (service = 'tax-service/Lookup') => SubmitMessageCommand.create({ client: 'MLSP/pensions', body: { service, payload: { n: 1 } } });
  const answer = (request: Envelope) =>
    replies.deliver(createReply(request, { messageType: `${request.service.partner}-reply`, schemaVersion: '1', contentType: 'application/json', payload: '{"ok":true}' }));
  const settled = () => new Promise((resolve) => setImmediate(resolve));
  return { submit, replies, admission, useCase, command, answer, settled };
}

async function refusalOf(promise: Promise<unknown>): Promise<ExchangeException> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ExchangeException) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('ExchangeMessageUseCase', () => {
  afterEach(() => jest.restoreAllMocks());

  it("refuses an exchange past its partner's waiting budget before submitting anything, and admits the next once one is answered", async () => {
    const { submit, admission, useCase, command, answer, settled } = setUp();
    const first = useCase.execute(command(), 5000);
    const second = useCase.execute(command(), 5000);
    await settled();
    const refused = await refusalOf(useCase.execute(command(), 5000));
    expect(refused.code).toBe(ExchangeErrorCode.EXCHANGE_OVERLOADED);
    expect(submit.submitted).toHaveLength(2);
    // Another partner's budget is its own.
    const other = useCase.execute(command('population-registry/Lookup'), 5000);
    await settled();
    expect(submit.submitted).toHaveLength(3);

    answer(submit.submitted[0]);
    await expect(first).resolves.toMatchObject({ messageId: submit.submitted[0].messageId, payload: '{"ok":true}' });
    expect(admission.waiting('tax-service')).toBe(1);
    const third = useCase.execute(command(), 5000);
    await settled();
    expect(submit.submitted).toHaveLength(4);
    answer(submit.submitted[1]);
    answer(submit.submitted[2]);
    answer(submit.submitted[3]);
    await Promise.all([second, other, third]);
    expect(admission.waiting()).toBe(0);
  });

  it('gives the place back when the reply is late, and when the submit fails', async () => {
    const { submit, admission, useCase, command } = setUp();
    expect((await refusalOf(useCase.execute(command(), 20))).code).toBe(ExchangeErrorCode.REPLY_TIMEOUT);
    expect(admission.waiting()).toBe(0);
    submit.failWith = new ExchangeException(ExchangeErrorCode.BROKER_UNAVAILABLE, 'not queued');
    expect((await refusalOf(useCase.execute(command(), 5000))).code).toBe(ExchangeErrorCode.BROKER_UNAVAILABLE);
    expect(admission.waiting()).toBe(0);
  });

  it('refuses an unknown service as unknown, taking no place', async () => {
    const { admission, useCase, command } = setUp();
    await expect(useCase.execute(command('nobody/Lookup'), 5000)).rejects.toMatchObject({ code: 'SERVICE_UNKNOWN' });
    expect(admission.waiting()).toBe(0);
  });
});
