import { Injectable } from '@nestjs/common';
import { AuditTrail, OperatorAction } from '../audit/audit-trail.repository';
import { Clock } from '../clock';
import { FAILED_MESSAGE_STATUSES, FailedMessage } from '../failed-message';
import { FailedMessageRepository } from '../failed-message.repository';
import { FailedMessagesErrorCode } from '../failed-messages-error-code';
import { FailedMessagesException } from '../failed-messages.exception';
import { ResolveFailedMessageCommand } from './resolve-failed-message.command';

export interface ResolveResult {
  message: FailedMessage;
  /** False when the message already had that status (nothing changed, nothing audited). */
  changed: boolean;
}

/** Marks a failed message resolved (or archived). Idempotent; audited when something changed. */
@Injectable()
export class ResolveFailedMessageUseCase {
  constructor(
    private readonly messages: FailedMessageRepository,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async execute(command: ResolveFailedMessageCommand): Promise<ResolveResult> {
    const to = command.archive ? 'archived' : 'resolved';
    const at = this.clock.now();
    const from = FAILED_MESSAGE_STATUSES.filter((status) => status !== to);
    const result = await this.messages.changeStatus(command.messageId, to, from, { operator: command.operator, at, reason: command.reason });
    if (!result.changed) {
      if (!result.message) throw FailedMessagesException.notFound(command.messageId);
      if (result.message.status === to) return { message: result.message, changed: false };
      throw new FailedMessagesException(FailedMessagesErrorCode.STATE_CONFLICT, `Failed message ${command.messageId} changed meanwhile`);
    }
    await this.audit.record({
      operator: command.operator,
      action: command.archive ? OperatorAction.ARCHIVE : OperatorAction.RESOLVE,
      messageIds: [command.messageId],
      at,
      reason: command.reason,
      detail: { previousStatus: result.previousStatus, status: to },
    });
    return { message: result.message, changed: true };
  }
}
