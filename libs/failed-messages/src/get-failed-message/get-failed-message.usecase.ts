import { Injectable } from '@nestjs/common';
import { traceIdOf } from '@korpu/observability';
import { MessageStatusRepository } from '@korpu/tracking';
import { AuditTrail, OperatorAction, sha256 } from '../audit/audit-trail.repository';
import { Clock } from '../clock';
import { FailedMessage, FailedMessageEvent } from '../failed-message';
import { FailedMessageRepository, StoredEdit } from '../failed-message.repository';
import { FailedMessagesException } from '../failed-messages.exception';
import { GetFailedMessageCommand } from './get-failed-message.command';

export interface FailedMessageDetails extends FailedMessage {
  history: FailedMessageEvent[];
  /** When this message is an edited copy: the edit it came from (original id, diff). */
  editOf?: StoredEdit;
  /** The edited copies sent instead of this message, with their diffs. */
  copies: StoredEdit[];
  /** The message's current delivery status in tracking (e.g. `replied` after a successful replay), when tracked. */
  delivery?: { status: string; updatedAt: string; attempts: number; error?: { code: string; message: string } };
  /** The OpenTelemetry trace of the failed attempt (from the record's `traceparent`), to look it up in the trace store; absent when tracing was off. */
  traceId?: string;
}

/** One failed message with its record, its history and its live delivery status. Viewing is audited (payloads hold personal data). */
@Injectable()
export class GetFailedMessageUseCase {
  constructor(
    private readonly messages: FailedMessageRepository,
    private readonly statuses: MessageStatusRepository,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async execute(command: GetFailedMessageCommand): Promise<FailedMessageDetails> {
    const message = await this.messages.find(command.messageId);
    if (!message) throw FailedMessagesException.notFound(command.messageId);
    const [history, tracked, edits] = await Promise.all([
      this.messages.history(command.messageId),
      this.statuses.find(command.messageId),
      this.messages.edits(command.messageId),
    ]);
    await this.audit.record({
      operator: command.operator,
      action: OperatorAction.VIEW,
      messageIds: [command.messageId],
      at: this.clock.now(),
      beforeHash: sha256(message.editedPayload ?? message.payload),
    });
    const traceId = traceIdOf(message.headers);
    return {
      ...message,
      ...(traceId ? { traceId } : {}),
      history,
      ...(edits.editOf ? { editOf: edits.editOf } : {}),
      copies: edits.copies,
      ...(tracked
        ? { delivery: { status: tracked.status, updatedAt: tracked.updatedAt, attempts: tracked.attempts, ...(tracked.error ? { error: tracked.error } : {}) } }
        : {}),
    };
  }
}
