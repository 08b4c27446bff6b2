import {
  FixedClock,
  InMemoryAudit,
  InMemoryFailedMessages,
  InMemoryStatuses,
  RecordingProducer,
  aFailedMessage,
} from '../../test/in-memory-failed-messages';
import { EnvelopeHeader } from '@korpu/envelope';
import { failureFingerprint } from '../dead-letter-headers';
import { FailedMessagesErrorCode } from '../failed-messages-error-code';
import { FailedMessageReplayer } from '../replay-failed-message/failed-message-replayer';
import { ReplayFailedMessagesCommand } from './replay-failed-messages.command';
import { ReplayFailedMessagesUseCase } from './replay-failed-messages.usecase';

const timeout = failureFingerprint('PARTNER_TIMEOUT', 'no answer');

function setUp(cap = 3) {
  const messages = new InMemoryFailedMessages();
  const producer = new RecordingProducer();
  const audit = new InMemoryAudit();
  const useCase = new ReplayFailedMessagesUseCase(
    messages.asRepository(),
    new FailedMessageReplayer(messages.asRepository(), new InMemoryStatuses().asRepository(), producer),
    audit.asAuditTrail(),
    new FixedClock(),
    { bulkReplayCap: cap },
  );
  const run = (body: Record<string, unknown>) => useCase.execute(ReplayFailedMessagesCommand.create({ operator: 'rauf', body }));
  return { messages, producer, audit, run };
}

describe('ReplayFailedMessagesUseCase', () => {
  it('replays the unresolved messages of one cause, oldest first, and audits them as one action', async () => {
    const { messages, producer, audit, run } = setUp();
    const [a, b, c] = [aFailedMessage({ fingerprint: timeout }), aFailedMessage({ fingerprint: timeout }), aFailedMessage({ fingerprint: timeout })];
    const other = aFailedMessage();
    const resolved = aFailedMessage({ fingerprint: timeout, status: 'resolved' });
    messages.add(c, a, b, other, resolved);

    const result = await run({ filter: { fingerprint: timeout }, reason: 'partner back up' });

    expect(result).toMatchObject({ matched: 3, replayed: [a.messageId, b.messageId, c.messageId], skipped: [], remaining: 0, dryRun: false });
    expect(producer.sent.map((sent) => sent.message.headers[EnvelopeHeader.MESSAGE_ID])).toEqual([a.messageId, b.messageId, c.messageId]);
    expect((await messages.find(other.messageId))?.status).toBe('unresolved');
    expect((await messages.find(resolved.messageId))?.status).toBe('resolved');
    expect(audit.entries).toEqual([
      expect.objectContaining({ action: 'bulk-replay', operator: 'rauf', reason: 'partner back up', messageIds: [a.messageId, b.messageId, c.messageId] }),
    ]);
  });

  it('stops at the cap and says how many are left', async () => {
    const { messages, producer, run } = setUp(2);
    messages.add(aFailedMessage(), aFailedMessage(), aFailedMessage());
    const result = await run({ filter: { status: 'unresolved' } });
    expect(result.replayed).toHaveLength(2);
    expect(result.remaining).toBe(1);
    expect(producer.sent).toHaveLength(2);
    await expect(run({ filter: {}, limit: 3 })).rejects.toMatchObject({ code: FailedMessagesErrorCode.REQUEST_INVALID });
  });

  it('only lists in a dry run', async () => {
    const { messages, producer, audit, run } = setUp();
    const a = aFailedMessage();
    messages.add(a);
    const result = await run({ filter: { errorCode: 'PARTNER_UNAVAILABLE' }, dryRun: true });
    expect(result).toMatchObject({ dryRun: true, matched: 1, replayed: [a.messageId] });
    expect(producer.sent).toEqual([]);
    expect(audit.entries).toEqual([]);
    expect((await messages.find(a.messageId))?.status).toBe('unresolved');
  });

  it('skips messages that cannot be replayed and stops when Kafka refuses', async () => {
    const { messages, producer, run } = setUp();
    const orphan = aFailedMessage({ originalTopic: null });
    const [a, b] = [aFailedMessage(), aFailedMessage()];
    messages.add(orphan, a, b);
    const first = await run({ filter: { status: 'unresolved' }, limit: 1 });
    expect(first.skipped).toEqual([expect.objectContaining({ messageId: orphan.messageId, code: FailedMessagesErrorCode.NOT_REPLAYABLE })]);

    producer.failWith = new Error('broker down');
    const second = await run({ filter: { status: 'unresolved' } });
    expect(second.stoppedBy).toMatchObject({ code: FailedMessagesErrorCode.REPLAY_PUBLISH_FAILED });
    expect(second.replayed).toEqual([]);
    expect(second.skipped.map((s) => s.messageId)).toEqual([orphan.messageId]);
    expect(second.remaining).toBe(2);
  });

  it('requires a filter', () => {
    expect(() => ReplayFailedMessagesCommand.create({ operator: 'rauf', body: {} })).toThrow(/"filter" is required/);
    expect(() => ReplayFailedMessagesCommand.create({ operator: 'rauf', body: { filter: { status: 'lost' } } })).toThrow(/status/);
  });
});
