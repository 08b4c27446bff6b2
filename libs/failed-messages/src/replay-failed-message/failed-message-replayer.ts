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

/** What became of one message of a batch replay. */
export type BatchReplayOutcome =
  | { messageId: string; state: 'sent' }
  | { messageId: string; state: 'skipped'; detail: string }
  /** Kafka refused: nothing changed, try again later. */
  | { messageId: string; state: 'unsent'; detail: string };

/** How many tracking look-ups / writes of one batch run at once. */
const TRACKING_CONCURRENCY = 8;

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(lanes);
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

  /**
   * Replays many messages as one replay (a bulk job's batch): skips those whose reply is already recorded (unless
   * `force`) and those no longer replayable, claims the rest in one transaction, restarts their tracking status and
   * publishes them with one Kafka request per topic. What Kafka refuses is undone and comes back `unsent`.
   */
  async replayBatch(messageIds: readonly string[], request: ReplayRequest, from: readonly FailedMessageStatus[] = REPLAYABLE_FROM): Promise<BatchReplayOutcome[]> {
    const outcomes = new Map<string, BatchReplayOutcome>();
    const tracked = new Set<string>();
    for (const [messageId, status] of await this.statuses.statusesOf(messageIds)) {
      if (status === MessageStatus.REPLIED && !request.force) {
        outcomes.set(messageId, { messageId, state: 'skipped', detail: 'its reply is already recorded (replay with force to send it again)' });
      } else tracked.add(messageId);
    }
    const candidates = messageIds.filter((id) => !outcomes.has(id));
    const claimed = await this.messages.claimManyForReplay(candidates, from, request);
    const claimedIds = new Set(claimed.map((c) => c.message.messageId));
    for (const id of candidates) {
      if (!claimedIds.has(id)) outcomes.set(id, { messageId: id, state: 'skipped', detail: 'no longer replayable (its status changed, or it was removed)' });
    }
    const byTopic = new Map<string, Array<{ messageId: string; record: ReturnType<typeof replayRecord>['record']; previousStatus: FailedMessageStatus }>>();
    for (const { message, previousStatus } of claimed) {
      const { topic, record } = replayRecord(message, { replayId: request.replayId, force: request.force });
      const entries = byTopic.get(topic) ?? [];
      entries.push({ messageId: message.messageId, record, previousStatus });
      byTopic.set(topic, entries);
    }
    await eachLimited(
      claimed.filter((c) => tracked.has(c.message.messageId)),
      TRACKING_CONCURRENCY,
      async ({ message }) =>
        this.statuses.recordReplay(message.messageId, {
          replayId: request.replayId,
          operator: request.operator,
          force: request.force,
          edited: message.editedPayload !== null,
          ...(request.reason ? { reason: request.reason } : {}),
        }),
    );
    let refusal: string | undefined;
    for (const [topic, entries] of byTopic) {
      if (refusal === undefined) {
        try {
          await this.producer.send(topic, entries.map((entry) => entry.record));
          for (const entry of entries) outcomes.set(entry.messageId, { messageId: entry.messageId, state: 'sent' });
          continue;
        } catch (error) {
          refusal = `Kafka did not take the replays to ${topic}: ${error instanceof Error ? error.message : String(error)}`;
          this.logger.warn(refusal);
        }
      }
      // Kafka refused (this topic, or an earlier one of the batch): undo these claims, the caller tries again later.
      for (const entry of entries) {
        await this.messages.releaseReplay(entry.messageId, request.replayId, entry.previousStatus, request.at, refusal);
        if (tracked.has(entry.messageId)) await this.markTrackingFailed(entry.record, refusal);
        outcomes.set(entry.messageId, { messageId: entry.messageId, state: 'unsent', detail: refusal });
      }
    }
    return messageIds.map((id) => outcomes.get(id) ?? { messageId: id, state: 'skipped', detail: 'not replayed' });
  }

  private assertReplayable(message: FailedMessage, from: readonly FailedMessageStatus[]): void {
    if (message.editedTo) {
      throw new FailedMessagesException(
        FailedMessagesErrorCode.STATE_CONFLICT,
        `Failed message ${message.messageId} was edited and replayed as ${message.editedTo}; only that copy is sent (replay the copy if it fails)`,
        { currentStatus: message.status, editedTo: message.editedTo },
      );
    }
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
