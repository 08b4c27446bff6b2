import { Injectable } from '@nestjs/common';
import { ContentType } from '@korpu/envelope';
import { isKorpuException } from '@korpu/errors';
import { AuditTrail, OperatorAction, sha256 } from '../audit/audit-trail.repository';
import { Clock } from '../clock';
import { FailedMessage, FailedMessageStatus } from '../failed-message';
import { FailedMessageRepository } from '../failed-message.repository';
import { FailedMessagesErrorCode } from '../failed-messages-error-code';
import { FailedMessagesException } from '../failed-messages.exception';
import { FailedMessagePayloadValidator } from '../payload-validator.port';
import { EditFailedMessageCommand } from './edit-failed-message.command';

/** Not while a replay is in flight: the edit would not be what was sent. */
export const EDITABLE_FROM: readonly FailedMessageStatus[] = ['unresolved', 'resolved', 'archived'];

const CONTENT_TYPES: readonly ContentType[] = ['application/json', 'application/xml'];

export interface EditResult {
  message: FailedMessage;
  /** Schema warnings (e.g. a deprecated version). */
  warnings: string[];
  /** True when the payload given equals the original: the edit was discarded. */
  reverted: boolean;
}

/**
 * Stores an operator's corrected payload after validating it against the schema of the message's declared type
 * and version. The original payload is kept; an edit equal to the original discards the edit. Audited with the
 * hashes of the payload before and after.
 */
@Injectable()
export class EditFailedMessageUseCase {
  constructor(
    private readonly messages: FailedMessageRepository,
    private readonly validator: FailedMessagePayloadValidator,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async execute(command: EditFailedMessageCommand): Promise<EditResult> {
    const current = await this.messages.find(command.messageId);
    if (!current) throw FailedMessagesException.notFound(command.messageId);
    if (!EDITABLE_FROM.includes(current.status)) {
      throw new FailedMessagesException(
        FailedMessagesErrorCode.STATE_CONFLICT,
        `Failed message ${current.messageId} is ${current.status}; it may be edited when ${EDITABLE_FROM.join(', ')}`,
        { currentStatus: current.status },
      );
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
    const edited = payload === current.payload ? null : payload;
    const at = this.clock.now();
    const beforeHash = sha256(current.editedPayload ?? current.payload);
    const afterHash = sha256(edited ?? current.payload);
    const saved = await this.messages.saveEdit(command.messageId, edited, EDITABLE_FROM, {
      operator: command.operator,
      at,
      reason: command.reason,
      beforeHash,
      afterHash,
    });
    if (!saved.changed) {
      if (!saved.message) throw FailedMessagesException.notFound(command.messageId);
      throw new FailedMessagesException(
        FailedMessagesErrorCode.STATE_CONFLICT,
        `Failed message ${command.messageId} became ${saved.message.status} meanwhile; the edit was not stored`,
        { currentStatus: saved.message.status },
      );
    }
    await this.audit.record({
      operator: command.operator,
      action: OperatorAction.EDIT,
      messageIds: [command.messageId],
      at,
      reason: command.reason,
      beforeHash,
      afterHash,
      detail: { reverted: edited === null, messageType, schemaVersion, ...(warnings.length ? { warnings } : {}) },
    });
    return { message: saved.message, warnings, reverted: edited === null };
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
