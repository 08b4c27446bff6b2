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
});
