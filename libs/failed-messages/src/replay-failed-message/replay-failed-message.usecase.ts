import { Injectable } from '@nestjs/common';
import { newMessageId } from '@korpu/envelope';
import { AuditTrail, OperatorAction, sha256 } from '../audit/audit-trail.repository';
import { Clock } from '../clock';
import { FailedMessageStatus } from '../failed-message';
import { FailedMessageReplayer } from './failed-message-replayer';
import { ReplayFailedMessageCommand } from './replay-failed-message.command';

export interface ReplayResult {
  messageId: string;
  /** The operator's replay id: in the audit trail, the message's history and, when forced, `korpu-replay-of`. */
  replayId: string;
  topic: string;
  force: boolean;
  edited: boolean;
  status: FailedMessageStatus;
}

/**
 * Replays one failed message: the ORIGINAL record (same message id, same key; the edited payload if the operator
 * edited it) to its original topic, without dead-letter headers and with attempt 1. Without `force` the dispatcher's
 * idempotency check still applies (a message already answered is not sent to the partner again); with `force` the
 * record carries `korpu-replay-of` and the partner receives it again. Audited.
 */
@Injectable()
export class ReplayFailedMessageUseCase {
  constructor(
    private readonly replayer: FailedMessageReplayer,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async execute(command: ReplayFailedMessageCommand): Promise<ReplayResult> {
    const at = this.clock.now();
    const replayId = newMessageId(at.getTime());
    const replayed = await this.replayer.replay(command.messageId, {
      replayId,
      operator: command.operator,
      force: command.force,
      reason: command.reason,
      at,
    });
    await this.audit.record({
      operator: command.operator,
      action: OperatorAction.REPLAY,
      messageIds: [command.messageId],
      at,
      reason: command.reason,
      afterHash: sha256(replayed.payload),
      detail: { replayId, topic: replayed.topic, force: command.force, edited: replayed.edited, previousStatus: replayed.previousStatus },
    });
    return { messageId: command.messageId, replayId, topic: replayed.topic, force: command.force, edited: replayed.edited, status: 'replayed' };
  }
}
