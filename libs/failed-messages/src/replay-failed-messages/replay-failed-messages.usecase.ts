import { Inject, Injectable } from '@nestjs/common';
import { newMessageId } from '@korpu/envelope';
import { isKorpuException } from '@korpu/errors';
import { AuditTrail, OperatorAction } from '../audit/audit-trail.repository';
import { Clock } from '../clock';
import { FailedMessageFilter } from '../failed-message';
import { FailedMessageRepository } from '../failed-message.repository';
import { FailedMessagesErrorCode } from '../failed-messages-error-code';
import { FailedMessagesException } from '../failed-messages.exception';
import { DEFAULT_BULK_REPLAY_CAP, FAILED_MESSAGES_OPTIONS, FailedMessagesOptions, MAX_BULK_REPLAY_CAP } from '../failed-messages.options';
import { FailedMessageReplayer, REPLAYABLE_FROM } from '../replay-failed-message/failed-message-replayer';
import { ReplayFailedMessagesCommand } from './replay-failed-messages.command';

export interface BulkReplayResult {
  replayId: string;
  dryRun: boolean;
  /** How many messages matched the filter. */
  matched: number;
  /** Replayed (or, in a dry run, selected), oldest failure first. */
  replayed: string[];
  skipped: Array<{ messageId: string; code: string; message: string }>;
  /** Matching messages left for another run: the cap or `limit` was reached, or Kafka refused. */
  remaining: number;
  /** Set when the run stopped early because Kafka refused a record. */
  stoppedBy?: { code: string; message: string };
}

/** Replays every failed message matching a filter, oldest first, up to a cap; audited as one action. */
@Injectable()
export class ReplayFailedMessagesUseCase {
  private readonly cap: number;

  constructor(
    private readonly messages: FailedMessageRepository,
    private readonly replayer: FailedMessageReplayer,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    @Inject(FAILED_MESSAGES_OPTIONS) options: Pick<FailedMessagesOptions, 'bulkReplayCap'>,
  ) {
    this.cap = Math.min(Math.max(1, options.bulkReplayCap ?? DEFAULT_BULK_REPLAY_CAP), MAX_BULK_REPLAY_CAP);
  }

  async execute(command: ReplayFailedMessagesCommand): Promise<BulkReplayResult> {
    if (command.limit !== undefined && command.limit > this.cap) {
      throw FailedMessagesException.invalid([`"limit" must be at most ${this.cap} (the bulk replay cap)`]);
    }
    const limit = command.limit ?? this.cap;
    const from = REPLAYABLE_FROM.filter((status) => command.filter.status?.includes(status));
    const filter: FailedMessageFilter = { ...command.filter, status: from };
    const at = this.clock.now();
    const replayId = newMessageId(at.getTime());
    const matched = from.length ? await this.messages.count(filter) : 0;
    const selected = from.length ? await this.messages.search(filter, { limit, order: 'asc' }) : [];
    const result: BulkReplayResult = { replayId, dryRun: command.dryRun, matched, replayed: [], skipped: [], remaining: 0 };
    if (command.dryRun) {
      result.replayed = selected.map((message) => message.messageId);
      result.remaining = Math.max(0, matched - selected.length);
      return result;
    }
    for (const message of selected) {
      try {
        await this.replayer.replay(message.messageId, { replayId, operator: command.operator, force: command.force, reason: command.reason, at }, from);
        result.replayed.push(message.messageId);
      } catch (error) {
        if (!isKorpuException(error)) throw error;
        if (error.code === FailedMessagesErrorCode.REPLAY_PUBLISH_FAILED) {
          result.stoppedBy = { code: error.code, message: error.message };
          break; // Kafka refuses: the rest would fail too
        }
        result.skipped.push({ messageId: message.messageId, code: error.code, message: error.message });
      }
    }
    result.remaining = Math.max(0, matched - result.replayed.length - result.skipped.length);
    await this.audit.record({
      operator: command.operator,
      action: OperatorAction.BULK_REPLAY,
      messageIds: result.replayed,
      at,
      reason: command.reason,
      detail: {
        replayId,
        force: command.force,
        filter: { ...filter, from: filter.from?.toISOString(), to: filter.to?.toISOString() },
        matched,
        skipped: result.skipped.length,
        remaining: result.remaining,
        ...(result.stoppedBy ? { stoppedBy: result.stoppedBy.code } : {}),
      },
    });
    return result;
  }
}
