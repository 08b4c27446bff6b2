import { FixedClock, InMemoryAudit, InMemoryFailedMessages, aFailedMessage } from '../../test/in-memory-failed-messages';
import { DiscardFailedMessageCommand } from '../discard-failed-message/discard-failed-message.command';
import { DiscardFailedMessageUseCase } from '../discard-failed-message/discard-failed-message.usecase';
import { defaultReplayJobOptions } from '../failed-messages.config';
import { FailedMessagesErrorCode } from '../failed-messages-error-code';
import { RestoreFailedMessageCommand } from './restore-failed-message.command';
import { RestoreFailedMessageUseCase } from './restore-failed-message.usecase';

function setUp() {
  const messages = new InMemoryFailedMessages();
  const audit = new InMemoryAudit();
  const clock = new FixedClock();
  const jobs = { ...defaultReplayJobOptions(), discardedRetentionDays: 7 };
  const discard = new DiscardFailedMessageUseCase(messages.asRepository(), audit.asAuditTrail(), clock);
  const restore = new RestoreFailedMessageUseCase(messages.asRepository(), audit.asAuditTrail(), clock, { jobs });
  return { messages, audit, clock, discard, restore };
}

describe('DiscardFailedMessageUseCase and RestoreFailedMessageUseCase', () => {
  it('discards with a reason and restores within the retention period, both audited', async () => {
    const { messages, audit, clock, discard, restore } = setUp();
    const failed = aFailedMessage();
    messages.add(failed);
    expect(() => DiscardFailedMessageCommand.create({ messageId: failed.messageId, operator: 'nigar', body: {} })).toThrow(/reason/);
    await discard.execute(DiscardFailedMessageCommand.create({ messageId: failed.messageId, operator: 'nigar', body: { reason: 'test traffic' } }));
    expect((await messages.find(failed.messageId))?.status).toBe('discarded');
    clock.current = new Date(clock.current.getTime() + 6 * 86_400_000);
    const restored = await restore.execute(RestoreFailedMessageCommand.create({ messageId: failed.messageId, operator: 'nigar' }));
    expect(restored.message.status).toBe('unresolved');
    expect(audit.entries.map((e) => e.action)).toEqual(['discard', 'restore']);
  });

  it('refuses to restore once the retention period is over, and what is not discarded', async () => {
    const { messages, restore } = setUp();
    const old = aFailedMessage({ status: 'discarded', statusChangedAt: '2026-11-20T00:00:00.000Z' });
    const open = aFailedMessage();
    messages.add(old, open);
    await expect(restore.execute(RestoreFailedMessageCommand.create({ messageId: old.messageId, operator: 'nigar' }))).rejects.toMatchObject({
      code: FailedMessagesErrorCode.RESTORE_EXPIRED,
      status: 409,
    });
    await expect(restore.execute(RestoreFailedMessageCommand.create({ messageId: open.messageId, operator: 'nigar' }))).rejects.toMatchObject({
      code: FailedMessagesErrorCode.STATE_CONFLICT,
    });
  });

  it('does not discard a message whose replay is in flight', async () => {
    const { messages, discard } = setUp();
    const inFlight = aFailedMessage({ status: 'replayed' });
    messages.add(inFlight);
    await expect(
      discard.execute(DiscardFailedMessageCommand.create({ messageId: inFlight.messageId, operator: 'nigar', body: { reason: 'x' } })),
    ).rejects.toMatchObject({ code: FailedMessagesErrorCode.STATE_CONFLICT });
  });
});
