import { EnvelopeCodec } from '@korpu/envelope';
import { KorpuException } from '@korpu/errors';
import { FixedClock, InMemoryAudit, InMemoryFailedMessages, InMemoryStatuses, RecordingProducer, aFailedMessage } from '../../test/in-memory-failed-messages';
import { sha256 } from '../audit/audit-trail.repository';
import { FailedMessagesErrorCode } from '../failed-messages-error-code';
import { FailedMessagePayloadValidator, NoPayloadValidator } from '../payload-validator.port';
import { EditFailedMessageCommand } from './edit-failed-message.command';
import { EDIT_OF_HEADER, EditFailedMessageUseCase } from './edit-failed-message.usecase';

/** Accepts a taxpayer lookup whose voen has 10 digits. */
class FakeSchemaValidator extends FailedMessagePayloadValidator {
  readonly calls: unknown[][] = [];
  async validate(type: string, version: string, payload: string, contentType: string): Promise<{ warnings: string[] }> {
    this.calls.push([type, version, payload, contentType]);
    if (contentType === 'application/xml') return { warnings: [] };
    const voen = (JSON.parse(payload) as { voen?: unknown }).voen;
    if (typeof voen !== 'string' || !/^\d{10}$/.test(voen)) {
      throw new KorpuException('SCHEMA_VALIDATION_FAILED', '/voen must be 10 digits', { status: 422, details: { violations: [{ pointer: '/voen' }] } });
    }
    return { warnings: version === '0' ? ['deprecated'] : [] };
  }
}

function setUp(validator: FailedMessagePayloadValidator = new FakeSchemaValidator()) {
  const messages = new InMemoryFailedMessages();
  const audit = new InMemoryAudit();
  const producer = new RecordingProducer();
  const statuses = new InMemoryStatuses();
  const useCase = new EditFailedMessageUseCase(messages.asRepository(), validator, statuses.asRepository(), producer, audit.asAuditTrail(), new FixedClock());
  const edit = (messageId: string, payload: unknown, reason?: string) =>
    useCase.execute(EditFailedMessageCommand.create({ messageId, operator: 'leyla', body: { payload, reason } }));
  return { messages, audit, edit, validator, producer, statuses };
}

describe('EditFailedMessageUseCase (edit-and-replay)', () => {
  it('sends only a copy under a new message id linked to the original, keeps and marks the original, and stores and audits the JSON Patch', async () => {
    const { messages, audit, edit, validator, producer, statuses } = setUp();
    const failed = aFailedMessage();
    messages.add(failed);
    const result = await edit(failed.messageId, { voen: '9999999999' }, 'typo in voen');

    expect((validator as FakeSchemaValidator).calls).toEqual([['taxpayer-lookup-request', '1', '{"voen":"9999999999"}', 'application/json']]);
    expect(result.copy.messageId).not.toBe(failed.messageId);
    expect(result.copy).toMatchObject({ editOf: failed.messageId, diffFormat: 'json-patch', diff: [{ op: 'replace', path: '/voen', value: '9999999999' }] });
    expect(producer.sent).toHaveLength(1);
    const sent = producer.sent[0].message;
    const envelope = EnvelopeCodec.decode(sent);
    expect(envelope.messageId).toBe(result.copy.messageId);
    expect(envelope.correlationId).toBe(failed.correlationId);
    expect(envelope.payload).toBe('{"voen":"9999999999"}');
    expect(envelope.signature).toBeUndefined();
    expect(sent.headers[EDIT_OF_HEADER]).toBe(failed.messageId);
    expect(sent.key).toBe(failed.key);
    expect(statuses.recorded).toEqual([expect.objectContaining({ messageId: result.copy.messageId, status: 'accepted' })]);

    const original = await messages.find(failed.messageId);
    expect(original).toMatchObject({ payload: failed.payload, status: 'resolved', editedTo: result.copy.messageId });
    expect(messages.editCopies).toEqual([expect.objectContaining({ originalId: failed.messageId, copyId: result.copy.messageId, diffFormat: 'json-patch' })]);
    expect(audit.entries).toEqual([
      expect.objectContaining({
        action: 'edit-replay',
        operator: 'leyla',
        reason: 'typo in voen',
        messageIds: [failed.messageId, result.copy.messageId],
        beforeHash: sha256(failed.payload),
        afterHash: sha256('{"voen":"9999999999"}'),
        detail: expect.objectContaining({ changes: [{ op: 'replace', path: '/voen' }] }),
      }),
    ]);
  });

  it('gives a unified diff for an XML message', async () => {
    const { messages, edit } = setUp();
    const xml = aFailedMessage({ contentType: 'application/xml', payload: '<GetPersonRequest><Fin>5ZXK2P</Fin></GetPersonRequest>' });
    messages.add(xml);
    const result = await edit(xml.messageId, '<GetPersonRequest><Fin>5ZXK2P7</Fin></GetPersonRequest>');
    expect(result.copy.diffFormat).toBe('unified-diff');
    expect(result.copy.diff).toContain('+<GetPersonRequest><Fin>5ZXK2P7</Fin></GetPersonRequest>');
  });

  it('refuses a payload the schema rejects, with the validator details, and sends nothing', async () => {
    const { messages, audit, edit, producer } = setUp();
    const failed = aFailedMessage();
    messages.add(failed);
    await expect(edit(failed.messageId, { voen: '12' })).rejects.toMatchObject({
      code: FailedMessagesErrorCode.EDIT_INVALID,
      status: 422,
      details: { validationCode: 'SCHEMA_VALIDATION_FAILED', violations: [{ pointer: '/voen' }] },
    });
    expect((await messages.find(failed.messageId))?.status).toBe('unresolved');
    expect(producer.sent).toEqual([]);
    expect(audit.entries).toEqual([]);
  });

  it('refuses JSON text that does not parse, an object for an XML message, and an edit that changes nothing', async () => {
    const { messages, edit } = setUp();
    const json = aFailedMessage();
    const xml = aFailedMessage({ contentType: 'application/xml', payload: '<a/>' });
    messages.add(json, xml);
    await expect(edit(json.messageId, '{"voen":')).rejects.toMatchObject({ code: FailedMessagesErrorCode.EDIT_INVALID });
    await expect(edit(xml.messageId, { a: 1 })).rejects.toMatchObject({ code: FailedMessagesErrorCode.EDIT_INVALID });
    await expect(edit(json.messageId, json.payload)).rejects.toMatchObject({ code: FailedMessagesErrorCode.EDIT_INVALID });
  });

  it('refuses a payload still holding masked values (an edit made from the masked view), from any caller, and sends nothing', async () => {
    const { messages, edit, producer } = setUp();
    const json = aFailedMessage();
    const xml = aFailedMessage({ contentType: 'application/xml', payload: '<GetPersonRequest><Fin>5ZXK2P7</Fin></GetPersonRequest>' });
    messages.add(json, xml);
    await expect(edit(json.messageId, { voen: '********21' })).rejects.toMatchObject({ code: FailedMessagesErrorCode.EDIT_INVALID, details: { problems: ['masked values in the payload'] } });
    await expect(edit(xml.messageId, '<GetPersonRequest><Fin>********P7</Fin></GetPersonRequest>')).rejects.toMatchObject({ code: FailedMessagesErrorCode.EDIT_INVALID });
    expect(producer.sent).toHaveLength(0);
  });

  it('edits a message once: a second edit of the original is refused (edit the copy instead)', async () => {
    const { messages, edit, producer } = setUp();
    const failed = aFailedMessage();
    messages.add(failed);
    await edit(failed.messageId, { voen: '9999999999' });
    await expect(edit(failed.messageId, { voen: '8888888888' })).rejects.toMatchObject({ code: FailedMessagesErrorCode.STATE_CONFLICT });
    expect(producer.sent).toHaveLength(1);
  });

  it('puts the original back when Kafka does not take the copy', async () => {
    const { messages, edit, producer, audit } = setUp();
    const failed = aFailedMessage();
    messages.add(failed);
    producer.failWith = new Error('broker down');
    await expect(edit(failed.messageId, { voen: '9999999999' })).rejects.toMatchObject({ code: FailedMessagesErrorCode.REPLAY_PUBLISH_FAILED });
    expect(await messages.find(failed.messageId)).toMatchObject({ status: 'unresolved', editedTo: null });
    expect(messages.editCopies).toEqual([]);
    expect(audit.entries).toEqual([]);
  });

  it('does not edit a message whose replay is in flight', async () => {
    const { messages, edit } = setUp();
    const failed = aFailedMessage({ status: 'replayed' });
    messages.add(failed);
    await expect(edit(failed.messageId, { voen: '9999999999' })).rejects.toMatchObject({ code: FailedMessagesErrorCode.STATE_CONFLICT });
  });

  it('refuses edits when no schema validator is configured', async () => {
    const { messages, edit } = setUp(new NoPayloadValidator());
    const failed = aFailedMessage();
    messages.add(failed);
    await expect(edit(failed.messageId, { voen: '9999999999' })).rejects.toMatchObject({ code: FailedMessagesErrorCode.EDIT_VALIDATION_UNAVAILABLE, status: 503 });
  });

  it('answers not found', async () => {
    const { edit } = setUp();
    await expect(edit('nope', {})).rejects.toMatchObject({ code: FailedMessagesErrorCode.NOT_FOUND });
  });
});
