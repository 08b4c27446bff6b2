import { Injectable } from '@nestjs/common';
import { AuditTrail, OperatorAction } from '../audit/audit-trail.repository';
import { Clock } from '../clock';
import { FailedMessageStatus } from '../failed-message';
import { FailedMessageRepository } from '../failed-message.repository';
import { FailedMessagesErrorCode } from '../failed-messages-error-code';
import { FailedMessagesException } from '../failed-messages.exception';
import { ResolveResult } from '../resolve-failed-message/resolve-failed-message.usecase';
import { DiscardFailedMessageCommand } from './discard-failed-message.command';

/** Not while a replay is in flight (it comes back unresolved if it fails). */
export const DISCARDABLE_FROM: readonly FailedMessageStatus[] = ['unresolved', 'resolved', 'archived'];

/** Discards a failed message with the operator's reason (kept on the message and in the audit trail). */
@Injectable()
export class DiscardFailedMessageUseCase {
  constructor(
    private readonly messages: FailedMessageRepository,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async execute(command: DiscardFailedMessageCommand): Promise<ResolveResult> {
    const at = this.clock.now();
    const result = await this.messages.changeStatus(command.messageId, 'discarded', DISCARDABLE_FROM, {
      operator: command.operator,
      at,
      reason: command.reason,
    });
    if (!result.changed) {
      if (!result.message) throw FailedMessagesException.notFound(command.messageId);
      if (result.message.status === 'discarded') return { message: result.message, changed: false };
      throw new FailedMessagesException(
        FailedMessagesErrorCode.STATE_CONFLICT,
        `Failed message ${command.messageId} is ${result.message.status}; it can be discarded when ${DISCARDABLE_FROM.join(', ')}`,
        { currentStatus: result.message.status },
      );
    }
    await this.audit.record({
      operator: command.operator,
      action: OperatorAction.DISCARD,
      messageIds: [command.messageId],
      at,
      reason: command.reason,
      detail: { previousStatus: result.previousStatus, status: 'discarded' },
    });
    return { message: result.message, changed: true };
  }
}
