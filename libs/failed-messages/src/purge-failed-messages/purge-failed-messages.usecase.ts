import { Inject, Injectable } from '@nestjs/common';
import { newMessageId } from '@korpu/envelope';
import { AuditTrail, OperatorAction } from '../audit/audit-trail.repository';
import { Clock } from '../clock';
import { FailedMessageStatus } from '../failed-message';
import { FailedMessageRepository } from '../failed-message.repository';
import { FAILED_MESSAGES_OPTIONS, FailedMessagesOptions } from '../failed-messages.options';
import { replayJobOptionsOf } from '../failed-messages.config';
import { PurgeFailedMessagesCommand, RETENTION_OPERATOR } from './purge-failed-messages.command';

const DAY_MS = 86_400_000;
/** Rows deleted per transaction. */
const PURGE_BATCH = 1000;

export interface PurgeResult {
  runId: string;
  purged: number;
  /** Closed before these instants were purged, by status. */
  cutoffs: Partial<Record<FailedMessageStatus, string>>;
}

/**
 * The retention purge: resolved and archived messages older than FAILED_RETENTION_RESOLVED_DAYS, discarded ones
 * older than FAILED_RETENTION_DISCARDED_DAYS (since their status last changed). Each purged message leaves its id,
 * status and payload hash in `failed_message_purges` under the run id, and the run one audit entry.
 */
@Injectable()
export class PurgeFailedMessagesUseCase {
  private readonly retention: { resolved: number; discarded: number };

  constructor(
    private readonly messages: FailedMessageRepository,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    @Inject(FAILED_MESSAGES_OPTIONS) options: Pick<FailedMessagesOptions, 'jobs'>,
  ) {
    const jobs = replayJobOptionsOf(options);
    this.retention = { resolved: jobs.resolvedRetentionDays, discarded: jobs.discardedRetentionDays };
  }

  async execute(command: PurgeFailedMessagesCommand): Promise<PurgeResult> {
    const at = this.clock.now();
    const runId = newMessageId(at.getTime());
    const closed = new Date(at.getTime() - this.retention.resolved * DAY_MS);
    const discarded = new Date(at.getTime() - this.retention.discarded * DAY_MS);
    const olderThan: Partial<Record<FailedMessageStatus, Date>> = { resolved: closed, archived: closed, discarded };
    let purged = 0;
    for (;;) {
      const ids = await this.messages.purge(olderThan, PURGE_BATCH, { id: runId, at });
      purged += ids.length;
      if (ids.length < PURGE_BATCH) break;
    }
    const cutoffs = Object.fromEntries(Object.entries(olderThan).map(([status, before]) => [status, before.toISOString()]));
    // A scheduled run that found nothing leaves no entry (it runs every hour); an operator's run always does.
    if (purged === 0 && command.operator === RETENTION_OPERATOR) return { runId, purged, cutoffs };
    await this.audit.record({
      operator: command.operator,
      action: OperatorAction.PURGE,
      messageIds: [],
      at,
      detail: { runId, purged, cutoffs, trace: 'failed_message_purges.audit_run' },
    });
    return { runId, purged, cutoffs };
  }
}
