import { Inject, Injectable } from '@nestjs/common';
import { AuditTrail, OperatorAction } from '../audit/audit-trail.repository';
import { Clock } from '../clock';
import { replayJobOptionsOf } from '../failed-messages.config';
import { FailedMessageRepository } from '../failed-message.repository';
import { FailedMessagesErrorCode } from '../failed-messages-error-code';
import { FailedMessagesException } from '../failed-messages.exception';
import { FAILED_MESSAGES_OPTIONS, FailedMessagesOptions } from '../failed-messages.options';
import { ResolveResult } from '../resolve-failed-message/resolve-failed-message.usecase';
import { RestoreFailedMessageCommand } from './restore-failed-message.command';

const DAY_MS = 86_400_000;

/** Restores a discarded message (to `unresolved`) while its retention period lasts; audited. */
@Injectable()
export class RestoreFailedMessageUseCase {
  private readonly retentionDays: number;

  constructor(
    private readonly messages: FailedMessageRepository,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    @Inject(FAILED_MESSAGES_OPTIONS) options: Pick<FailedMessagesOptions, 'jobs'>,
  ) {
    this.retentionDays = replayJobOptionsOf(options).discardedRetentionDays;
  }

  async execute(command: RestoreFailedMessageCommand): Promise<ResolveResult> {
    const at = this.clock.now();
    const current = await this.messages.find(command.messageId);
    if (!current) throw FailedMessagesException.notFound(command.messageId);
    if (current.status !== 'discarded') {
      throw new FailedMessagesException(FailedMessagesErrorCode.STATE_CONFLICT, `Failed message ${command.messageId} is ${current.status}, not discarded`, {
        currentStatus: current.status,
      });
    }
    const expires = Date.parse(current.statusChangedAt) + this.retentionDays * DAY_MS;
    if (at.getTime() >= expires) {
      throw new FailedMessagesException(
        FailedMessagesErrorCode.RESTORE_EXPIRED,
        `Failed message ${command.messageId} was discarded more than ${this.retentionDays} days ago; the retention purge removes it`,
      );
    }
    const result = await this.messages.changeStatus(command.messageId, 'unresolved', ['discarded'], { operator: command.operator, at, reason: command.reason });
    if (!result.changed) throw new FailedMessagesException(FailedMessagesErrorCode.STATE_CONFLICT, `Failed message ${command.messageId} changed meanwhile`);
    await this.audit.record({
      operator: command.operator,
      action: OperatorAction.RESTORE,
      messageIds: [command.messageId],
      at,
      reason: command.reason,
      detail: { previousStatus: 'discarded', status: 'unresolved', discardReason: current.discardReason },
    });
    return { message: result.message, changed: true };
  }
}
