import { KorpuException } from '@korpu/errors';
import { FixedClock, InMemoryAudit, InMemoryFailedMessages, aFailedMessage } from '../../test/in-memory-failed-messages';
import { sha256 } from '../audit/audit-trail.repository';
import { FailedMessagesErrorCode } from '../failed-messages-error-code';
import { FailedMessagePayloadValidator, NoPayloadValidator } from '../payload-validator.port';
import { EditFailedMessageCommand } from './edit-failed-message.command';
import { EditFailedMessageUseCase } from './edit-failed-message.usecase';

/** Accepts a taxpayer lookup whose voen has 10 digits. */
class FakeSchemaValidator extends FailedMessagePayloadValidator {
  readonly calls: unknown[][] = [];
  async validate(type: string, version: string, payload: string, contentType: string): Promise<{ warnings: string[] }> {
    this.calls.push([type, version, payload, contentType]);
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
  const useCase = new EditFailedMessageUseCase(messages.asRepository(), validator, audit.asAuditTrail(), new FixedClock());
  const edit = (messageId: string, payload: unknown, reason?: string) =>
    useCase.execute(EditFailedMessageCommand.create({ messageId, operator: 'leyla', body: { payload, reason } }));
  return { messages, audit, edit, validator };
}

describe('EditFailedMessageUseCase', () => {
  it('stores a payload valid for the declared type and version beside the original, and audits both hashes', async () => {
    const { messages, audit, edit, validator } = setUp();
    const failed = aFailedMessage();
    messages.add(failed);
    const result = await edit(failed.messageId, { voen: '9999999999' }, 'typo in voen');
    expect((validator as FakeSchemaValidator).calls).toEqual([['taxpayer-lookup-request', '1', '{"voen":"9999999999"}', 'application/json']]);
    expect(result.message).toMatchObject({ payload: failed.payload, editedPayload: '{"voen":"9999999999"}', editedBy: 'leyla', edited: true });
    expect(result.reverted).toBe(false);
    expect(audit.entries).toEqual([
      expect.objectContaining({
        action: 'edit',
        operator: 'leyla',
        reason: 'typo in voen',
        messageIds: [failed.messageId],
        beforeHash: sha256(failed.payload),
        afterHash: sha256('{"voen":"9999999999"}'),
      }),
    ]);
  });

  it('refuses a payload the schema rejects, with the validator details', async () => {
    const { messages, audit, edit } = setUp();
    const failed = aFailedMessage();
    messages.add(failed);
    await expect(edit(failed.messageId, { voen: '12' })).rejects.toMatchObject({
      code: FailedMessagesErrorCode.EDIT_INVALID,
      status: 422,
      details: { validationCode: 'SCHEMA_VALIDATION_FAILED', violations: [{ pointer: '/voen' }] },
    });
    expect((await messages.find(failed.messageId))?.editedPayload).toBeNull();
    expect(audit.entries).toEqual([]);
  });

  it('refuses JSON text that does not parse and an object for an XML message', async () => {
    const { messages, edit } = setUp();
    const json = aFailedMessage();
    const xml = aFailedMessage({ contentType: 'application/xml', payload: '<a/>' });
    messages.add(json, xml);
    await expect(edit(json.messageId, '{"voen":')).rejects.toMatchObject({ code: FailedMessagesErrorCode.EDIT_INVALID });
    await expect(edit(xml.messageId, { a: 1 })).rejects.toMatchObject({ code: FailedMessagesErrorCode.EDIT_INVALID });
  });

  it('discards the edit when the payload given equals the original', async () => {
    const { messages, edit } = setUp();
    const failed = aFailedMessage({ editedPayload: '{"voen":"9999999999"}', edited: true });
    messages.add(failed);
    const result = await edit(failed.messageId, failed.payload);
    expect(result.reverted).toBe(true);
    expect(result.message.editedPayload).toBeNull();
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
