import { FixedClock, InMemoryAudit, InMemoryFailedMessages, aFailedMessage } from '../../test/in-memory-failed-messages';
import { FailedMessagesErrorCode } from '../failed-messages-error-code';
import { ResolveFailedMessageCommand } from './resolve-failed-message.command';
import { ResolveFailedMessageUseCase } from './resolve-failed-message.usecase';

function setUp() {
  const messages = new InMemoryFailedMessages();
  const audit = new InMemoryAudit();
  const useCase = new ResolveFailedMessageUseCase(messages.asRepository(), audit.asAuditTrail(), new FixedClock());
  const resolve = (messageId: string, body: Record<string, unknown> = {}) =>
    useCase.execute(ResolveFailedMessageCommand.create({ messageId, operator: 'nigar', body }));
  return { messages, audit, resolve };
}

describe('ResolveFailedMessageUseCase', () => {
  it('marks the message resolved and audits who and why', async () => {
    const { messages, audit, resolve } = setUp();
    const failed = aFailedMessage();
    messages.add(failed);
    const result = await resolve(failed.messageId, { reason: 'sent by phone' });
    expect(result).toMatchObject({ changed: true, message: { status: 'resolved', statusChangedBy: 'nigar' } });
    expect(audit.entries).toEqual([
      expect.objectContaining({ action: 'resolve', reason: 'sent by phone', detail: { previousStatus: 'unresolved', status: 'resolved' } }),
    ]);
  });

  it('archives on request, and resolving twice changes nothing the second time', async () => {
    const { messages, audit, resolve } = setUp();
    const failed = aFailedMessage();
    messages.add(failed);
    expect((await resolve(failed.messageId, { archive: true })).message.status).toBe('archived');
    expect((await resolve(failed.messageId, { archive: true })).changed).toBe(false);
    expect(audit.entries.map((entry) => entry.action)).toEqual(['archive']);
  });

  it('answers not found', async () => {
    const { resolve } = setUp();
    await expect(resolve('nope')).rejects.toMatchObject({ code: FailedMessagesErrorCode.NOT_FOUND });
  });
});
