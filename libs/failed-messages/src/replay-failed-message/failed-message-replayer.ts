import { Injectable, Logger } from '@nestjs/common';
import { EnvelopeCodec } from '@korpu/envelope';
import { MessageProducer } from '@korpu/messaging';
import { MessageStatus, MessageStatusRepository } from '@korpu/tracking';
import { FailedMessage, FailedMessageStatus } from '../failed-message';
import { FailedMessageRepository } from '../failed-message.repository';
import { FailedMessagesErrorCode } from '../failed-messages-error-code';
import { FailedMessagesException } from '../failed-messages.exception';
import { replayRecord } from './replay-record';

/** A replay may start from any status but `replayed` (a replay in flight: it comes back as unresolved if it fails). */
export const REPLAYABLE_FROM: readonly FailedMessageStatus[] = ['unresolved', 'resolved', 'archived'];

export interface ReplayRequest {
  replayId: string;
  operator: string;
  force: boolean;
  reason?: string;
  at: Date;
}

export interface ReplayedMessage {
  messageId: string;
  topic: string;
  payload: string;
  edited: boolean;
  previousStatus: FailedMessageStatus;
}

/**
 * Replays one failed message: claims it (status `replayed`, atomically), restarts its tracking status, publishes
 * the original record to its original topic; if Kafka refuses, the claim is undone. Shared by the single and the
 * bulk replay, which write the audit trail.
 */
@Injectable()
export class FailedMessageReplayer {
  private readonly logger = new Logger(FailedMessageReplayer.name);

  constructor(
    private readonly messages: FailedMessageRepository,
    private readonly statuses: MessageStatusRepository,
    private readonly producer: MessageProducer,
  ) {}

  async replay(messageId: string, request: ReplayRequest, from: readonly FailedMessageStatus[] = REPLAYABLE_FROM): Promise<ReplayedMessage> {
    const current = await this.messages.find(messageId);
    if (!current) throw FailedMessagesException.notFound(messageId);
    this.assertReplayable(current, from);
    const claim = await this.messages.claimForReplay(messageId, from, request);
    if (!claim.claimed) {
      if (!claim.message) throw FailedMessagesException.notFound(messageId);
      this.assertReplayable(claim.message, from); // its status changed meanwhile
      throw new FailedMessagesException(FailedMessagesErrorCode.STATE_CONFLICT, `Failed message ${messageId} changed meanwhile; try again`);
    }
    const { topic, record, payload } = replayRecord(claim.message, { replayId: request.replayId, force: request.force });
    // Before publishing, so that the dispatcher's own status writes for the replayed message come after it.
    const tracked = (await this.statuses.find(messageId)) !== undefined;
    if (tracked) {
      await this.statuses.recordReplay(messageId, {
        replayId: request.replayId,
        operator: request.operator,
        force: request.force,
        edited: claim.message.editedPayload !== null,
        ...(request.reason ? { reason: request.reason } : {}),
      });
    }
    try {
      await this.producer.send(topic, [record]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await this.messages.releaseReplay(messageId, request.replayId, claim.previousStatus, request.at, reason);
      if (tracked) await this.markTrackingFailed(record, reason);
      throw new FailedMessagesException(
        FailedMessagesErrorCode.REPLAY_PUBLISH_FAILED,
        `Kafka did not take the replay of ${messageId} to ${topic}: ${reason}`,
        { messageId, topic },
        error,
      );
    }
    return { messageId, topic, payload, edited: claim.message.editedPayload !== null, previousStatus: claim.previousStatus };
  }

  private assertReplayable(message: FailedMessage, from: readonly FailedMessageStatus[]): void {
    if (!message.originalTopic) {
      throw new FailedMessagesException(
        FailedMessagesErrorCode.NOT_REPLAYABLE,
        `Failed message ${message.messageId} does not say which topic it came from; it cannot be replayed`,
      );
    }
    if (!from.includes(message.status)) {
      throw new FailedMessagesException(
        FailedMessagesErrorCode.STATE_CONFLICT,
        message.status === 'replayed'
          ? `Failed message ${message.messageId} was already replayed (${message.lastReplayId}); it comes back as unresolved if it fails again, or resolve it first`
          : `Failed message ${message.messageId} is ${message.status}; it may be replayed from ${from.join(', ')} only`,
        { currentStatus: message.status },
      );
    }
  }

  /** The replay did not go out: the tracked status says so rather than "accepted" forever (best effort). */
  private async markTrackingFailed(record: { key: string; headers: Record<string, string>; value: Buffer }, reason: string): Promise<void> {
    try {
      await this.statuses.record(EnvelopeCodec.decode(record), MessageStatus.FAILED, {
        code: FailedMessagesErrorCode.REPLAY_PUBLISH_FAILED,
        message: reason,
      });
    } catch (error) {
      this.logger.warn(`Could not mark the unsent replay as failed in tracking: ${String(error)}`);
    }
  }
}
