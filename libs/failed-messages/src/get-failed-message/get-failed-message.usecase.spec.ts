import { FixedClock, InMemoryAudit, InMemoryFailedMessages, InMemoryStatuses, aFailedMessage } from '../../test/in-memory-failed-messages';
import { sha256 } from '../audit/audit-trail.repository';
import { FailedMessagesErrorCode } from '../failed-messages-error-code';
import { GetFailedMessageCommand } from './get-failed-message.command';
import { GetFailedMessageUseCase } from './get-failed-message.usecase';

describe('GetFailedMessageUseCase', () => {
  it('returns the record with its history and live delivery status, and audits the view', async () => {
    const messages = new InMemoryFailedMessages();
    const statuses = new InMemoryStatuses();
    const audit = new InMemoryAudit();
    const failed = aFailedMessage();
    messages.add(failed);
    statuses.track(failed.messageId, 'replied');
    const useCase = new GetFailedMessageUseCase(messages.asRepository(), statuses.asRepository(), audit.asAuditTrail(), new FixedClock());

    const details = await useCase.execute(GetFailedMessageCommand.create({ messageId: failed.messageId, operator: 'aysel' }));

    expect(details).toMatchObject({ messageId: failed.messageId, payload: failed.payload, history: [], delivery: { status: 'replied' } });
    expect(audit.entries).toEqual([expect.objectContaining({ action: 'view', operator: 'aysel', beforeHash: sha256(failed.payload) })]);
    await expect(useCase.execute(GetFailedMessageCommand.create({ messageId: 'nope', operator: 'aysel' }))).rejects.toMatchObject({
      code: FailedMessagesErrorCode.NOT_FOUND,
    });
  });

  it('names the trace of the failed attempt from the record\'s traceparent, and none when tracing was off', async () => {
    const messages = new InMemoryFailedMessages();
    const traced = aFailedMessage();
    traced.headers = { ...traced.headers, traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
    const untraced = aFailedMessage();
    messages.add(traced);
    messages.add(untraced);
    const useCase = new GetFailedMessageUseCase(messages.asRepository(), new InMemoryStatuses().asRepository(), new InMemoryAudit().asAuditTrail(), new FixedClock());

    await expect(useCase.execute(GetFailedMessageCommand.create({ messageId: traced.messageId, operator: 'aysel' }))).resolves.toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
    expect(await useCase.execute(GetFailedMessageCommand.create({ messageId: untraced.messageId, operator: 'aysel' }))).not.toHaveProperty('traceId');
  });
});
