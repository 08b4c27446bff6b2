import { Injectable } from '@nestjs/common';
import { ContentType, EnvelopeCodec, EnvelopeHeader, newMessageId } from '@korpu/envelope';
import { isKorpuException } from '@korpu/errors';
import { MessageProducer } from '@korpu/messaging';
import { MessageStatus, MessageStatusRepository } from '@korpu/tracking';
import { AuditTrail, OperatorAction, sha256 } from '../audit/audit-trail.repository';
import { Clock } from '../clock';
import { FailedMessage, FailedMessageStatus } from '../failed-message';
import { EditDiffFormat, FailedMessageRepository } from '../failed-message.repository';
import { FailedMessagesErrorCode } from '../failed-messages-error-code';
import { FailedMessagesException } from '../failed-messages.exception';
import { FailedMessagePayloadValidator } from '../payload-validator.port';
import { replayRecord } from '../replay-failed-message/replay-record';
import { EditFailedMessageCommand } from './edit-failed-message.command';
import { diffSummary, payloadDiff } from './payload-diff';



/** Not while a replay is in flight: the original could still be delivered beside its copy. */
export const EDITABLE_FROM: readonly FailedMessageStatus[] = ['unresolved', 'resolved', 'archived'];

const CONTENT_TYPES: readonly ContentType[] = ['application/json', 'application/xml'];

/** The header that links an edited copy to the message it corrects (its value: the original's message id). */
export const EDIT_OF_HEADER = 'korpu-edit-of';

export interface EditResult {
  /** The original, kept unchanged but marked: `resolved`, `editedTo` = the copy. */
  original: FailedMessage;
  /** The copy that was sent instead: a new message id, linked to the original. */
  copy: { messageId: string; editOf: string; topic: string; diffFormat: EditDiffFormat; diff: unknown };
  /** Schema warnings (e.g. a deprecated version). */
  warnings: string[];
}

/** What every masked personal value contains (see maskValue in @korpu/schemas). */
const MASK_MARK = '****';

/**
 * Edit-and-replay: validates the operator's corrected payload against the schema of the message's declared type
 * and version, then sends a COPY under a new message id (same correlation id and key, header `korpu-edit-of` =
 * the original's id, no signature: the dispatcher signs what it sends). The original is kept and marked
 * (`resolved`, `editedTo`); the difference (JSON Patch / unified diff) is stored and returned. Only the copy is
 * sent. Audited with the hashes before and after and what changed (JSON Patch operations and paths, or the
 * changed XML lines' count), without the values.
 */
@Injectable()
export class EditFailedMessageUseCase {
  constructor(
    private readonly messages: FailedMessageRepository,
    private readonly validator: FailedMessagePayloadValidator,
    private readonly statuses: MessageStatusRepository,
    private readonly producer: MessageProducer,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async execute(command: EditFailedMessageCommand): Promise<EditResult> {
    const current = await this.messages.find(command.messageId);
    if (!current) throw FailedMessagesException.notFound(command.messageId);
    if (!EDITABLE_FROM.includes(current.status) || current.editedTo) {
      throw new FailedMessagesException(
        FailedMessagesErrorCode.STATE_CONFLICT,
        current.editedTo
          ? `Failed message ${current.messageId} was already edited and replayed as ${current.editedTo}; edit that copy if it fails`
          : `Failed message ${current.messageId} is ${current.status}; it may be edited when ${EDITABLE_FROM.join(', ')}`,
        { currentStatus: current.status, ...(current.editedTo ? { editedTo: current.editedTo } : {}) },
      );
    }
    if (!current.originalTopic) {
      throw new FailedMessagesException(FailedMessagesErrorCode.NOT_REPLAYABLE, `Failed message ${current.messageId} does not say which topic it came from`);
    }
    const { messageType, schemaVersion } = current;
    const contentType = current.contentType as ContentType | null;
    if (!messageType || !schemaVersion || !contentType || !CONTENT_TYPES.includes(contentType)) {
      throw new FailedMessagesException(
        FailedMessagesErrorCode.EDIT_INVALID,
        `Failed message ${current.messageId} declares no message type, schema version or known content type; its payload cannot be checked`,
      );
    }
    const payload = this.payloadText(command, contentType);
    const before = current.editedPayload ?? current.payload;
    if (payload === before) throw new FailedMessagesException(FailedMessagesErrorCode.EDIT_INVALID, 'The edited payload equals the original: nothing to send');
    // Answers show personal values masked (`********11`): an edit made from that view and sent as it is would give
    // the partner stars for a FIN. Four stars in a row that the original did not have are refused, whoever sends them.
    if (payload.includes(MASK_MARK) && !before.includes(MASK_MARK)) {
      throw new FailedMessagesException(
        FailedMessagesErrorCode.EDIT_INVALID,
        'The edited payload still holds masked values (****): ask for the unmasked view with a reason and edit the real values',
        { problems: ['masked values in the payload'] },
      );
    }
    let warnings: string[];
    try {
      ({ warnings } = await this.validator.validate(messageType, schemaVersion, payload, contentType));
    } catch (error) {
      if (!isKorpuException(error) || error.code === FailedMessagesErrorCode.EDIT_VALIDATION_UNAVAILABLE) throw error;
      throw new FailedMessagesException(
        FailedMessagesErrorCode.EDIT_INVALID,
        `The edited payload does not match ${messageType} v${schemaVersion}: ${error.message}`,
        { validationCode: error.code, ...(error.details ?? {}) },
        error,
      );
    }
    const at = this.clock.now();
    const copyId = newMessageId(at.getTime());
    const diff = payloadDiff(contentType, before, payload, { before: `${current.messageId}`, after: `${copyId}` });
    const { topic, record } = replayRecord({ ...current, editedPayload: payload }, { replayId: copyId, force: false });
    record.headers[EnvelopeHeader.MESSAGE_ID] = copyId;
    record.headers[EnvelopeHeader.CREATED_AT] = at.toISOString();
    record.headers[EDIT_OF_HEADER] = current.messageId;
    const beforeHash = sha256(before);
    const afterHash = sha256(payload);
    const recorded = await this.messages.recordEditCopy(
      { originalId: current.messageId, copyId, at, operator: command.operator, reason: command.reason, diffFormat: diff.format, diff: diff.text, beforeHash, afterHash, topic },
      EDITABLE_FROM,
    );
    if (!recorded.changed || !recorded.message) {
      if (!recorded.message) throw FailedMessagesException.notFound(command.messageId);
      throw new FailedMessagesException(
        FailedMessagesErrorCode.STATE_CONFLICT,
        `Failed message ${command.messageId} became ${recorded.message.status} meanwhile; nothing was sent`,
        { currentStatus: recorded.message.status },
      );
    }
    // Tracked before it is published, so the dispatcher's status writes for the copy come after.
    await this.statuses.record(EnvelopeCodec.decode(record), MessageStatus.ACCEPTED, { editOf: current.messageId, operator: command.operator });
    try {
      await this.producer.send(topic, [record]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await this.messages.undoEditCopy(current.messageId, copyId, recorded.previousStatus, at, reason);
      await this.statuses.record(EnvelopeCodec.decode(record), MessageStatus.FAILED, { code: FailedMessagesErrorCode.REPLAY_PUBLISH_FAILED, message: reason });
      throw new FailedMessagesException(
        FailedMessagesErrorCode.REPLAY_PUBLISH_FAILED,
        `Kafka did not take the edited copy of ${current.messageId} to ${topic}: ${reason}`,
        { messageId: current.messageId, topic },
        error,
      );
    }
    await this.audit.record({
      operator: command.operator,
      action: OperatorAction.EDIT_REPLAY,
      messageIds: [current.messageId, copyId],
      at,
      reason: command.reason,
      beforeHash,
      afterHash,
      detail: {
        copyId,
        editOf: current.messageId,
        messageType,
        schemaVersion,
        diffFormat: diff.format,
        // What changed, without the values (personal data): the full diff is kept encrypted with the copy.
        changes: diffSummary(diff),
        ...(warnings.length ? { warnings } : {}),
      },
    });
    return { original: recorded.message, copy: { messageId: copyId, editOf: current.messageId, topic, diffFormat: diff.format, diff: diff.diff }, warnings };
  }

  private payloadText(command: EditFailedMessageCommand, contentType: ContentType): string {
    if (typeof command.payload !== 'string') {
      if (contentType !== 'application/json') {
        throw new FailedMessagesException(FailedMessagesErrorCode.EDIT_INVALID, 'The message is XML: send the edited payload as a string');
      }
      return JSON.stringify(command.payload.json);
    }
    if (contentType === 'application/json') {
      try {
        JSON.parse(command.payload);
      } catch (error) {
        throw new FailedMessagesException(FailedMessagesErrorCode.EDIT_INVALID, `The edited payload is not JSON: ${(error as Error).message}`);
      }
    }
    return command.payload;
  }
}
