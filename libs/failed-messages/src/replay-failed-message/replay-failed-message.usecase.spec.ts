import { EnvelopeCodec, EnvelopeHeader } from '@korpu/envelope';
import {
  FixedClock,
  InMemoryAudit,
  InMemoryFailedMessages,
  InMemoryStatuses,
  RecordingProducer,
  aFailedMessage,
} from '../../test/in-memory-failed-messages';
import { DeadLetterHeader, deadLetterHeaders } from '../dead-letter-headers';
import { FailedMessagesErrorCode } from '../failed-messages-error-code';
import { FailedMessageReplayer } from './failed-message-replayer';
import { ReplayFailedMessageCommand } from './replay-failed-message.command';
import { ReplayFailedMessageUseCase } from './replay-failed-message.usecase';

function setUp() {
  const messages = new InMemoryFailedMessages();
  const statuses = new InMemoryStatuses();
  const producer = new RecordingProducer();
  const audit = new InMemoryAudit();
  const clock = new FixedClock();
  const useCase = new ReplayFailedMessageUseCase(
    new FailedMessageReplayer(messages.asRepository(), statuses.asRepository(), producer),
    audit.asAuditTrail(),
    clock,
  );
  const replay = (messageId: string, body: Record<string, unknown> = {}) =>
    useCase.execute(ReplayFailedMessageCommand.create({ messageId, operator: 'aysel', body }));
  return { messages, statuses, producer, audit, replay };
}

describe('ReplayFailedMessageUseCase', () => {
  it('publishes the original record to its original topic with the same id and key, attempt 1 and no dead-letter headers', async () => {
    const { messages, statuses, producer, audit, replay } = setUp();
    const failed = aFailedMessage();
    // As stored from a dead-letter record that was itself a replay: no dlq header may survive.
    failed.headers = { ...failed.headers, [DeadLetterHeader.ATTEMPTS]: '5', [EnvelopeHeader.REPLAY_OF]: 'old-replay' };
    messages.add(failed);
    statuses.track(failed.messageId);

    const result = await replay(failed.messageId);

    expect(producer.sent).toHaveLength(1);
    const [{ topic, message }] = producer.sent;
    expect(topic).toBe('korpu.outbound.tax-service');
    expect(message.key).toBe(failed.key);
    expect(Object.keys(message.headers).filter((name) => name.startsWith('korpu-dlq-'))).toEqual([]);
    expect(message.headers[EnvelopeHeader.REPLAY_OF]).toBeUndefined();
    const envelope = EnvelopeCodec.decode(message);
    expect(envelope.messageId).toBe(failed.messageId);
    expect(envelope.attempt).toBe(1);
    expect(envelope.payload).toBe(failed.payload);
    expect(envelope.signature).toEqual({ format: 'jws', value: 'h..s' });
    expect(result).toMatchObject({ messageId: failed.messageId, force: false, edited: false, status: 'replayed' });
    expect((await messages.find(failed.messageId))?.status).toBe('replayed');
    expect((await messages.find(failed.messageId))?.replayCount).toBe(1);
    expect(statuses.replays).toEqual([{ messageId: failed.messageId, detail: expect.objectContaining({ replayId: result.replayId, operator: 'aysel', force: false }) }]);
    expect(audit.entries).toEqual([expect.objectContaining({ operator: 'aysel', action: 'replay', messageIds: [failed.messageId] })]);
  });

  it('sets korpu-replay-of to the replay id only when the operator forces redelivery', async () => {
    const { messages, producer, replay } = setUp();
    const failed = aFailedMessage();
    messages.add(failed);
    const result = await replay(failed.messageId, { force: true, reason: 'partner lost the answer' });
    expect(producer.sent[0].message.headers[EnvelopeHeader.REPLAY_OF]).toBe(result.replayId);
  });

  it('refuses a forced replay without a reason', () => {
    expect(() => ReplayFailedMessageCommand.create({ messageId: 'm', operator: 'aysel', body: { force: true } })).toThrow(/reason/);
  });

  it('replays the edited payload without the signature of the original, keeping the original stored', async () => {
    const { messages, producer, replay } = setUp();
    const failed = aFailedMessage({ editedPayload: '{"voen":"9999999999"}', edited: true });
    messages.add(failed);
    const result = await replay(failed.messageId);
    const envelope = EnvelopeCodec.decode(producer.sent[0].message);
    expect(envelope.payload).toBe('{"voen":"9999999999"}');
    expect(envelope.signature).toBeUndefined();
    expect(result.edited).toBe(true);
    expect((await messages.find(failed.messageId))?.payload).toBe(failed.payload);
  });

  it('does not replay twice a message whose replay is in flight', async () => {
    const { messages, producer, replay } = setUp();
    const failed = aFailedMessage();
    messages.add(failed);
    await replay(failed.messageId);
    await expect(replay(failed.messageId)).rejects.toMatchObject({ code: FailedMessagesErrorCode.STATE_CONFLICT, status: 409 });
    expect(producer.sent).toHaveLength(1);
  });

  it('replays a resolved or archived message on request', async () => {
    const { messages, producer, replay } = setUp();
    const failed = aFailedMessage({ status: 'archived' });
    messages.add(failed);
    await replay(failed.messageId);
    expect(producer.sent).toHaveLength(1);
  });

  it('answers not found and not replayable', async () => {
    const { messages, replay } = setUp();
    await expect(replay('nope')).rejects.toMatchObject({ code: FailedMessagesErrorCode.NOT_FOUND, status: 404 });
    const orphan = aFailedMessage({ originalTopic: null });
    messages.add(orphan);
    await expect(replay(orphan.messageId)).rejects.toMatchObject({ code: FailedMessagesErrorCode.NOT_REPLAYABLE });
  });

  it('leaves the message as it was when Kafka does not take the record, and says so in tracking', async () => {
    const { messages, statuses, producer, audit, replay } = setUp();
    const failed = aFailedMessage();
    messages.add(failed);
    statuses.track(failed.messageId);
    producer.failWith = new Error('broker down');
    await expect(replay(failed.messageId)).rejects.toMatchObject({ code: FailedMessagesErrorCode.REPLAY_PUBLISH_FAILED, retryable: true });
    const after = await messages.find(failed.messageId);
    expect(after).toMatchObject({ status: 'unresolved', replayCount: 0 });
    expect((await messages.history(failed.messageId)).map((event) => event.kind)).toEqual(['replayed', 'replay-failed']);
    expect(statuses.recorded).toEqual([expect.objectContaining({ messageId: failed.messageId, status: 'failed' })]);
    expect(audit.entries).toEqual([]);
  });

  it('does not touch tracking for a message tracking does not know', async () => {
    const { messages, statuses, replay } = setUp();
    const failed = aFailedMessage();
    messages.add(failed);
    await replay(failed.messageId);
    expect(statuses.replays).toEqual([]);
  });

  it('gives a replayed record that fails again one set of dead-letter headers', async () => {
    const { messages, producer, replay } = setUp();
    const failed = aFailedMessage();
    messages.add(failed);
    await replay(failed.messageId);
    const replayed = producer.sent[0].message;
    const again = deadLetterHeaders({
      original: { topic: 'korpu.outbound.tax-service', partition: 0, offset: '99', headers: replayed.headers },
      failure: { code: 'PARTNER_UNAVAILABLE', message: 'still down' },
      attempts: 1,
      failedAt: new Date(),
    });
    expect(Object.keys(again).filter((name) => name.startsWith('korpu-dlq-'))).toHaveLength(Object.keys(DeadLetterHeader).length);
    expect(again[EnvelopeHeader.MESSAGE_ID]).toBe(failed.messageId);
  });
});
