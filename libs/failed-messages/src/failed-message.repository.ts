import { Injectable } from '@nestjs/common';
import { DataKeys, SealedColumn } from '@korpu/crypto-at-rest';
import { EnvelopeHeader } from '@korpu/envelope';
import { Database, SqlExecutor, jsonParam } from '@korpu/store';
import {
  DeadLetteredMessage,
  FailedMessage,
  FailedMessageCursor,
  FailedMessageEvent,
  FailedMessageEventKind,
  FailedMessageFilter,
  FailedMessageStatus,
  FailedMessageSummary,
  FailureGroup,
  FailureGroupBy,
} from './failed-message';

export type EditDiffFormat = 'json-patch' | 'unified-diff';

interface FailedMessageRow {
  message_id: string;
  correlation_id: string | null;
  client: string | null;
  service: string | null;
  message_type: string | null;
  schema_version: string | null;
  content_type: string | null;
  record_key: string | null;
  original_topic: string | null;
  original_partition: number | null;
  original_offset: string | null;
  attempts: number;
  error_code: string;
  error_message: string;
  fingerprint: string;
  first_failed_at: Date | string;
  last_failed_at: Date | string;
  failure_count: number;
  status: FailedMessageStatus;
  status_changed_at: Date | string;
  status_changed_by: string | null;
  headers: Record<string, string> | string;
  payload: string;
  edited_payload: string | null;
  edited_at: Date | string | null;
  edited_by: string | null;
  replay_count: number;
  last_replay_id: string | null;
  last_replayed_at: Date | string | null;
  last_replayed_by: string | null;
  partner: string | null;
  edited_to: string | null;
  discard_reason: string | null;
  edited?: boolean;
}

export type StoreOutcome = 'created' | 'failed-again' | 'duplicate';

export interface ReplayClaim {
  replayId: string;
  operator: string;
  at: Date;
  force: boolean;
  reason?: string;
}

export type ClaimResult =
  | { claimed: true; message: FailedMessage; previousStatus: FailedMessageStatus }
  | { claimed: false; message?: FailedMessage };

/** The statuses an operator moves a message to without replaying it (`unresolved`: restoring a discarded one). */
export type StatusChange = 'resolved' | 'archived' | 'discarded' | 'unresolved';

export interface EditCopy {
  originalId: string;
  copyId: string;
  at: Date;
  operator: string;
  reason?: string;
  diffFormat: EditDiffFormat;
  diff: string;
  beforeHash: string;
  afterHash: string;
  topic: string;
}

export interface StoredEdit {
  copyId: string;
  originalId: string;
  at: string;
  operator: string;
  reason: string | null;
  diffFormat: EditDiffFormat;
  /** A JSON Patch (RFC 6902) array for JSON, a unified diff for XML. */
  diff: unknown;
  beforeHash: string;
  afterHash: string;
  topic: string;
}

interface EditRow {
  copy_id: string;
  original_id: string;
  at: Date | string;
  operator: string;
  reason: string | null;
  diff_format: EditDiffFormat;
  diff: string;
  before_hash: string;
  after_hash: string;
  topic: string;
}

function toEdit(row: EditRow, diffColumn: SealedColumn): StoredEdit {
  const diff = diffColumn.open(row.diff, row.copy_id) as string;
  return {
    copyId: row.copy_id,
    originalId: row.original_id,
    at: iso(row.at),
    operator: row.operator,
    reason: row.reason,
    diffFormat: row.diff_format,
    diff: row.diff_format === 'json-patch' ? (JSON.parse(diff) as unknown) : diff,
    beforeHash: row.before_hash,
    afterHash: row.after_hash,
    topic: row.topic,
  };
}

export type ChangeResult = { changed: true; message: FailedMessage; previousStatus: FailedMessageStatus } | { changed: false; message?: FailedMessage };

/** A timestamp column as ISO-8601 text (pg gives Date, PGlite may give text). */
export const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();
export const isoOrNull = (value: Date | string | null): string | null => (value === null ? null : iso(value));

const SUMMARY_COLUMNS = `message_id, correlation_id, client, service, message_type, schema_version, original_topic, attempts,
  error_code, error_message, fingerprint, first_failed_at, last_failed_at, failure_count, status, status_changed_at,
  status_changed_by, replay_count, (edited_payload IS NOT NULL OR edited_to IS NOT NULL) AS edited, partner, edited_to, discard_reason`;

function toSummary(row: FailedMessageRow): FailedMessageSummary {
  return {
    messageId: row.message_id,
    correlationId: row.correlation_id,
    client: row.client,
    service: row.service,
    messageType: row.message_type,
    schemaVersion: row.schema_version,
    originalTopic: row.original_topic,
    attempts: row.attempts,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    fingerprint: row.fingerprint,
    firstFailedAt: iso(row.first_failed_at),
    lastFailedAt: iso(row.last_failed_at),
    failureCount: row.failure_count,
    status: row.status,
    statusChangedAt: iso(row.status_changed_at),
    statusChangedBy: row.status_changed_by,
    replayCount: row.replay_count,
    edited: row.edited ?? (row.edited_payload !== null || row.edited_to !== null),
    partner: row.partner,
    editedTo: row.edited_to,
    discardReason: row.discard_reason,
  };
}

/** Where dead-lettered payloads and operators' edits of them are kept (bound into each encrypted value). */
export const FAILED_PAYLOAD_PURPOSE = 'korpu/failed_messages.payload/1';
export const EDITED_PAYLOAD_PURPOSE = 'korpu/failed_messages.edited_payload/1';

/** Where the diffs of edit-and-replay copies are kept (they hold the personal data of both payloads). */
export const EDIT_DIFF_PURPOSE = 'korpu/failed_message_edits.diff/1';

interface PayloadColumns {
  payload: SealedColumn;
  edited: SealedColumn;
  diff: SealedColumn;
}

function toMessage(row: FailedMessageRow, columns: PayloadColumns): FailedMessage {
  return {
    ...toSummary(row),
    contentType: row.content_type,
    key: row.record_key,
    originalPartition: row.original_partition,
    originalOffset: row.original_offset === null ? null : String(row.original_offset),
    headers: typeof row.headers === 'string' ? (JSON.parse(row.headers) as Record<string, string>) : row.headers,
    payload: columns.payload.open(row.payload, row.message_id),
    editedPayload: columns.edited.open(row.edited_payload, row.message_id),
    editedAt: isoOrNull(row.edited_at),
    editedBy: row.edited_by,
    lastReplayId: row.last_replay_id,
    lastReplayedAt: isoOrNull(row.last_replayed_at),
    lastReplayedBy: row.last_replayed_by,
  };
}

/** Builds the WHERE clause of a filter; parameters are appended to `params`. */
export function whereOf(filter: FailedMessageFilter, params: unknown[]): string[] {
  const clauses: string[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.status?.length) clauses.push(`status = ANY(${param(filter.status)}::text[])`);
  if (filter.service) clauses.push(`service = ${param(filter.service)}`);
  if (filter.errorCode) clauses.push(`error_code = ${param(filter.errorCode)}`);
  if (filter.fingerprint) clauses.push(`fingerprint = ${param(filter.fingerprint)}`);
  if (filter.client) clauses.push(`client = ${param(filter.client)}`);
  if (filter.messageType) clauses.push(`message_type = ${param(filter.messageType)}`);
  if (filter.schemaVersion) clauses.push(`schema_version = ${param(filter.schemaVersion)}`);
  if (filter.partner) clauses.push(`partner = ${param(filter.partner)}`);
  if (filter.messageId) clauses.push(`message_id = ${param(filter.messageId)}`);
  if (filter.messageIds) clauses.push(`message_id = ANY(${param(filter.messageIds)}::text[])`);
  if (filter.correlationId) clauses.push(`correlation_id = ${param(filter.correlationId)}`);
  if (filter.from) clauses.push(`last_failed_at >= ${param(filter.from.toISOString())}::timestamptz`);
  if (filter.to) clauses.push(`last_failed_at < ${param(filter.to.toISOString())}::timestamptz`);
  if (filter.text) {
    const prefix = `${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const p = param(prefix);
    clauses.push(`(message_id LIKE ${p} OR correlation_id LIKE ${p})`);
  }
  return clauses;
}

/**
 * Failed messages in PostgreSQL: one row per message id (a message that fails again after a replay updates its
 * row), the history of each in `failed_message_events`. No business rules: the use cases decide what may happen.
 */
@Injectable()
export class FailedMessageRepository {
  /** Payloads (personal data) are encrypted at rest with the data keys, each bound to its message id. */
  private readonly columns: PayloadColumns;

  constructor(
    private readonly db: Database,
    dataKeys: DataKeys,
  ) {
    this.columns = {
      payload: dataKeys.column(FAILED_PAYLOAD_PURPOSE),
      edited: dataKeys.column(EDITED_PAYLOAD_PURPOSE),
      diff: dataKeys.column(EDIT_DIFF_PURPOSE),
    };
  }

  /**
   * Stores one dead-letter record. Idempotent: the same dead-letter record (topic, partition, offset) stored twice
   * changes nothing the second time. A new failure of a known message id brings its row back to `unresolved` with
   * the new error and attempts; the first failure time, the original record and any edit are kept.
   */
  async store(message: DeadLetteredMessage): Promise<StoreOutcome> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx.query(
        `INSERT INTO failed_messages (message_id, correlation_id, client, service, message_type, schema_version, content_type,
           record_key, original_topic, original_partition, original_offset, attempts, error_code, error_message, fingerprint,
           first_failed_at, last_failed_at, status, status_changed_at, headers, payload)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 'unresolved', $17, $18::jsonb, $19)
         ON CONFLICT (message_id) DO NOTHING`,
        [
          message.messageId,
          message.correlationId ?? null,
          message.client ?? null,
          message.service ?? null,
          message.messageType ?? null,
          message.schemaVersion ?? null,
          message.contentType ?? null,
          message.key,
          message.originalTopic ?? null,
          message.originalPartition ?? null,
          message.originalOffset ?? null,
          message.attempts,
          message.errorCode,
          message.errorMessage,
          message.fingerprint,
          message.firstFailedAt.toISOString(),
          message.failedAt.toISOString(),
          JSON.stringify(message.headers),
          this.columns.payload.seal(message.payload, message.messageId),
        ],
      );
      const created = inserted.rowCount > 0;
      const event = await tx.query(
        `INSERT INTO failed_message_events (message_id, kind, at, detail, dead_letter_topic, dead_letter_partition, dead_letter_offset)
         VALUES ($1, 'failed', $2, $3::jsonb, $4, $5, $6)
         ON CONFLICT (dead_letter_topic, dead_letter_partition, dead_letter_offset) DO NOTHING
         RETURNING id`,
        [
          message.messageId,
          message.failedAt.toISOString(),
          JSON.stringify({
            errorCode: message.errorCode,
            errorMessage: message.errorMessage,
            fingerprint: message.fingerprint,
            attempts: message.attempts,
            originalTopic: message.originalTopic ?? null,
            originalPartition: message.originalPartition ?? null,
            originalOffset: message.originalOffset ?? null,
            replayOf: message.headers[EnvelopeHeader.REPLAY_OF] ?? null,
            ...(message.warnings.length ? { warnings: message.warnings } : {}),
          }),
          message.deadLetter.topic,
          message.deadLetter.partition,
          message.deadLetter.offset,
        ],
      );
      if (event.rowCount === 0) return 'duplicate';
      if (created) return 'created';
      await tx.query(
        `UPDATE failed_messages SET
           status = 'unresolved', status_changed_at = $2, status_changed_by = NULL,
           attempts = $3, error_code = $4, error_message = $5, fingerprint = $6,
           first_failed_at = LEAST(first_failed_at, $7::timestamptz), last_failed_at = GREATEST(last_failed_at, $2::timestamptz),
           failure_count = failure_count + 1,
           original_topic = COALESCE($8, original_topic), original_partition = COALESCE($9, original_partition),
           original_offset = COALESCE($10, original_offset)
         WHERE message_id = $1`,
        [
          message.messageId,
          message.failedAt.toISOString(),
          message.attempts,
          message.errorCode,
          message.errorMessage,
          message.fingerprint,
          message.firstFailedAt.toISOString(),
          message.originalTopic ?? null,
          message.originalPartition ?? null,
          message.originalOffset ?? null,
        ],
      );
      return 'failed-again';
    });
  }

  async find(messageId: string, executor: SqlExecutor = this.db): Promise<FailedMessage | undefined> {
    const { rows } = await executor.query<FailedMessageRow>(`SELECT * FROM failed_messages WHERE message_id = $1`, [messageId]);
    return rows[0] ? toMessage(rows[0], this.columns) : undefined;
  }

  async history(messageId: string): Promise<FailedMessageEvent[]> {
    const { rows } = await this.db.query<{ kind: FailedMessageEventKind; at: Date | string; operator: string | null; detail: unknown }>(
      `SELECT kind, at, operator, detail FROM failed_message_events WHERE message_id = $1 ORDER BY id`,
      [messageId],
    );
    return rows.map((row) => ({
      kind: row.kind,
      at: iso(row.at),
      operator: row.operator,
      detail: (typeof row.detail === 'string' ? JSON.parse(row.detail) : (row.detail ?? {})) as Record<string, unknown>,
    }));
  }

  /**
   * One page of summaries, newest failure first (`order: 'asc'`: oldest first), after `after` (keyset on
   * last_failed_at, message_id). Returns `limit` rows at most.
   */
  async search(
    filter: FailedMessageFilter,
    page: { limit: number; after?: FailedMessageCursor; order?: 'asc' | 'desc' },
  ): Promise<FailedMessageSummary[]> {
    const params: unknown[] = [];
    const clauses = whereOf(filter, params);
    const order = page.order ?? 'desc';
    if (page.after) {
      params.push(page.after.lastFailedAt, page.after.messageId);
      const op = order === 'desc' ? '<' : '>';
      clauses.push(`(last_failed_at, message_id) ${op} ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    params.push(page.limit);
    const direction = order === 'desc' ? 'DESC' : 'ASC';
    const { rows } = await this.db.query<FailedMessageRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM failed_messages
       ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''}
       ORDER BY last_failed_at ${direction}, message_id ${direction}
       LIMIT $${params.length}`,
      params,
    );
    return rows.map(toSummary);
  }

  async count(filter: FailedMessageFilter): Promise<number> {
    const params: unknown[] = [];
    const clauses = whereOf(filter, params);
    const { rows } = await this.db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM failed_messages ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''}`,
      params,
    );
    return Number(rows[0]?.count ?? 0);
  }

  /** Counts by fingerprint (the cause) or by service, largest group first. */
  async groups(by: FailureGroupBy, filter: FailedMessageFilter, limit: number): Promise<FailureGroup[]> {
    const params: unknown[] = [];
    const clauses = whereOf(filter, params);
    const column = by === 'fingerprint' ? 'fingerprint' : `COALESCE(service, '')`;
    params.push(limit);
    const { rows } = await this.db.query<{
      key: string;
      count: number;
      error_codes: string[];
      sample: string;
      services: string[];
      first_failed_at: Date | string;
      last_failed_at: Date | string;
    }>(
      `SELECT ${column} AS key, count(*)::int AS count,
              array_agg(DISTINCT error_code ORDER BY error_code) AS error_codes,
              (array_agg(error_message ORDER BY last_failed_at DESC))[1] AS sample,
              array_remove(array_agg(DISTINCT service ORDER BY service), NULL) AS services,
              min(first_failed_at) AS first_failed_at, max(last_failed_at) AS last_failed_at
       FROM failed_messages ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''}
       GROUP BY 1 ORDER BY count(*) DESC, max(last_failed_at) DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((row) => ({
      key: row.key,
      count: Number(row.count),
      errorCodes: row.error_codes,
      sampleErrorMessage: row.sample,
      services: row.services,
      firstFailedAt: iso(row.first_failed_at),
      lastFailedAt: iso(row.last_failed_at),
    }));
  }

  /**
   * Marks the message `replayed` if its status is one of `from`, atomically, so two operators (or a single and a
   * bulk replay) cannot both publish it. Returns the message as it was before, with its previous status.
   */
  async claimForReplay(messageId: string, from: readonly FailedMessageStatus[], claim: ReplayClaim): Promise<ClaimResult> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<FailedMessageRow>(`SELECT * FROM failed_messages WHERE message_id = $1 FOR UPDATE`, [messageId]);
      const row = rows[0];
      if (!row) return { claimed: false };
      const message = toMessage(row, this.columns);
      if (!from.includes(row.status)) return { claimed: false, message };
      await tx.query(
        `UPDATE failed_messages SET status = 'replayed', status_changed_at = $2, status_changed_by = $3,
           replay_count = replay_count + 1, last_replay_id = $4, last_replayed_at = $2, last_replayed_by = $3
         WHERE message_id = $1`,
        [messageId, claim.at.toISOString(), claim.operator, claim.replayId],
      );
      await this.event(tx, messageId, 'replayed', claim.at, claim.operator, {
        replayId: claim.replayId,
        force: claim.force,
        edited: message.editedPayload !== null,
        previousStatus: row.status,
        ...(claim.reason ? { reason: claim.reason } : {}),
      });
      return { claimed: true, message, previousStatus: row.status };
    });
  }

  /** Undoes a claim whose record Kafka did not take: the status goes back, the attempt stays in the history. */
  async releaseReplay(messageId: string, replayId: string, previousStatus: FailedMessageStatus, at: Date, error: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE failed_messages SET status = $3, status_changed_at = $4, replay_count = GREATEST(replay_count - 1, 0)
         WHERE message_id = $1 AND last_replay_id = $2 AND status = 'replayed'`,
        [messageId, replayId, previousStatus, at.toISOString()],
      );
      await this.event(tx, messageId, 'replay-failed', at, null, { replayId, error });
    });
  }

  /**
   * Stores (or, with null, discards) the operator's edited payload if the status is one of `from`. The original
   * payload is never changed.
   */
  async saveEdit(
    messageId: string,
    editedPayload: string | null,
    from: readonly FailedMessageStatus[],
    edit: { operator: string; at: Date; reason?: string; beforeHash: string; afterHash: string },
  ): Promise<ChangeResult> {
    return this.db.transaction(async (tx) => {
      const current = await this.lockRow(tx, messageId);
      if (!current || !from.includes(current.status)) return { changed: false, message: current };
      const { rows } = await tx.query<FailedMessageRow>(
        `UPDATE failed_messages SET edited_payload = $2, edited_at = $3, edited_by = $4 WHERE message_id = $1 RETURNING *`,
        [
          messageId,
          this.columns.edited.seal(editedPayload, messageId),
          editedPayload === null ? null : edit.at.toISOString(),
          editedPayload === null ? null : edit.operator,
        ],
      );
      await this.event(tx, messageId, 'edited', edit.at, edit.operator, {
        beforeHash: edit.beforeHash,
        afterHash: edit.afterHash,
        reverted: editedPayload === null,
        ...(edit.reason ? { reason: edit.reason } : {}),
      });
      return { changed: true, message: toMessage(rows[0], this.columns), previousStatus: current.status };
    });
  }

  /**
   * Moves the message to `to` if its status is one of `from`: `resolved`, `archived`, `discarded` (with the reason
   * kept on the row) or, restoring a discarded message, `unresolved`.
   */
  async changeStatus(
    messageId: string,
    to: StatusChange,
    from: readonly FailedMessageStatus[],
    change: { operator: string; at: Date; reason?: string },
  ): Promise<ChangeResult> {
    return this.db.transaction(async (tx) => {
      const current = await this.lockRow(tx, messageId);
      if (!current || !from.includes(current.status)) return { changed: false, message: current };
      const { rows } = await tx.query<FailedMessageRow>(
        `UPDATE failed_messages SET status = $2, status_changed_at = $3, status_changed_by = $4,
           discard_reason = CASE WHEN $2 = 'discarded' THEN $5 ELSE NULL END
         WHERE message_id = $1 RETURNING *`,
        [messageId, to, change.at.toISOString(), change.operator, change.reason ?? null],
      );
      await this.event(tx, messageId, to === 'unresolved' ? 'restored' : to, change.at, change.operator, {
        previousStatus: current.status,
        ...(change.reason ? { reason: change.reason } : {}),
      });
      return { changed: true, message: toMessage(rows[0], this.columns), previousStatus: current.status };
    });
  }

  /**
   * Claims many messages for one replay in one transaction (as `claimForReplay` does for one): those whose status
   * is one of `from` become `replayed`. Returns the claimed ones as they were before, in the order of `messageIds`.
   */
  async claimManyForReplay(
    messageIds: readonly string[],
    from: readonly FailedMessageStatus[],
    claim: ReplayClaim,
  ): Promise<Array<{ message: FailedMessage; previousStatus: FailedMessageStatus }>> {
    if (messageIds.length === 0) return [];
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<FailedMessageRow>(
        `SELECT * FROM failed_messages
         WHERE message_id = ANY($1::text[]) AND status = ANY($2::text[]) AND original_topic IS NOT NULL AND edited_to IS NULL
         ORDER BY message_id FOR UPDATE`,
        [messageIds, from],
      );
      if (rows.length === 0) return [];
      const ids = rows.map((row) => row.message_id);
      await tx.query(
        `UPDATE failed_messages SET status = 'replayed', status_changed_at = $2, status_changed_by = $3,
           replay_count = replay_count + 1, last_replay_id = $4, last_replayed_at = $2, last_replayed_by = $3
         WHERE message_id = ANY($1::text[])`,
        [ids, claim.at.toISOString(), claim.operator, claim.replayId],
      );
      await tx.query(
        `INSERT INTO failed_message_events (message_id, kind, at, operator, detail)
         SELECT id, 'replayed', $2, $3, jsonb_build_object('replayId', $4::text, 'force', $5::boolean, 'previousStatus', previous,
                'edited', edited) || $6::jsonb
         FROM unnest($1::text[], $7::text[], $8::boolean[]) AS t(id, previous, edited)`,
        [
          ids,
          claim.at.toISOString(),
          claim.operator,
          claim.replayId,
          claim.force,
          // An operator's text: jsonParam makes it text jsonb accepts.
          jsonParam(claim.reason ? { reason: claim.reason } : {}),
          rows.map((row) => row.status),
          rows.map((row) => row.edited_payload !== null),
        ],
      );
      const byId = new Map(rows.map((row) => [row.message_id, row]));
      return messageIds.flatMap((id) => {
        const row = byId.get(id);
        return row ? [{ message: toMessage(row, this.columns), previousStatus: row.status }] : [];
      });
    });
  }

  /**
   * Records an edit-and-replay before its copy is sent: the original (if its status is one of `from`) becomes
   * `resolved` with `edited_to` = the copy, and the edit (diff, hashes) is stored. `undoEditCopy` reverts it when
   * Kafka does not take the copy.
   */
  async recordEditCopy(edit: EditCopy, from: readonly FailedMessageStatus[]): Promise<ChangeResult> {
    return this.db.transaction(async (tx) => {
      const current = await this.lockRow(tx, edit.originalId);
      if (!current || !from.includes(current.status)) return { changed: false, message: current };
      await tx.query(
        `INSERT INTO failed_message_edits (copy_id, original_id, at, operator, reason, diff_format, diff, before_hash, after_hash, topic)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          edit.copyId,
          edit.originalId,
          edit.at.toISOString(),
          edit.operator,
          edit.reason ?? null,
          edit.diffFormat,
          this.columns.diff.seal(edit.diff, edit.copyId),
          edit.beforeHash,
          edit.afterHash,
          edit.topic,
        ],
      );
      const { rows } = await tx.query<FailedMessageRow>(
        `UPDATE failed_messages SET status = 'resolved', status_changed_at = $2, status_changed_by = $3, edited_to = $4
         WHERE message_id = $1 RETURNING *`,
        [edit.originalId, edit.at.toISOString(), edit.operator, edit.copyId],
      );
      await this.event(tx, edit.originalId, 'edited', edit.at, edit.operator, {
        copyId: edit.copyId,
        previousStatus: current.status,
        diffFormat: edit.diffFormat,
        beforeHash: edit.beforeHash,
        afterHash: edit.afterHash,
        ...(edit.reason ? { reason: edit.reason } : {}),
      });
      return { changed: true, message: toMessage(rows[0], this.columns), previousStatus: current.status };
    });
  }

  /** The copy was not sent: the original goes back to its status; the attempt stays in its history. */
  async undoEditCopy(originalId: string, copyId: string, previousStatus: FailedMessageStatus, at: Date, error: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`DELETE FROM failed_message_edits WHERE copy_id = $1`, [copyId]);
      await tx.query(
        `UPDATE failed_messages SET status = $3, status_changed_at = $4, edited_to = NULL WHERE message_id = $1 AND edited_to = $2`,
        [originalId, copyId, previousStatus, at.toISOString()],
      );
      await this.event(tx, originalId, 'replay-failed', at, null, { copyId, error });
    });
  }

  /** The edits of a message: those made of it (it is the original) and the one it is the copy of, if any. */
  async edits(messageId: string): Promise<{ editOf?: StoredEdit; copies: StoredEdit[] }> {
    const { rows } = await this.db.query<EditRow>(
      `SELECT * FROM failed_message_edits WHERE original_id = $1 OR copy_id = $1 ORDER BY at`,
      [messageId],
    );
    const all = rows.map((row) => toEdit(row, this.columns.diff));
    return { editOf: all.find((edit) => edit.copyId === messageId), copies: all.filter((edit) => edit.originalId === messageId) };
  }

  /**
   * Deletes up to `limit` messages whose status is a key of `olderThan` and whose status changed before its
   * instant (none with an outstanding replay job item), and leaves for each a row in `failed_message_purges`
   * (id, status, hash of the stored payload). Returns the ids purged.
   */
  async purge(olderThan: Partial<Record<FailedMessageStatus, Date>>, limit: number, run: { id: string; at: Date }): Promise<string[]> {
    const entries = Object.entries(olderThan) as Array<[FailedMessageStatus, Date]>;
    if (entries.length === 0) return [];
    const { rows } = await this.db.query<{ message_id: string }>(
      `WITH doomed AS (
         SELECT f.message_id FROM failed_messages f
         JOIN unnest($1::text[], $2::timestamptz[]) AS r(status, before) ON f.status = r.status AND f.status_changed_at < r.before
         WHERE NOT EXISTS (SELECT 1 FROM replay_job_items i WHERE i.message_id = f.message_id AND i.state IN ('pending', 'sending'))
         ORDER BY f.status_changed_at LIMIT $3 FOR UPDATE OF f SKIP LOCKED
       ), gone AS (
         DELETE FROM failed_messages f USING doomed d WHERE f.message_id = d.message_id
         RETURNING f.message_id, f.status, f.status_changed_at, f.payload, f.service, f.error_code
       )
       INSERT INTO failed_message_purges (message_id, purged_at, status, status_changed_at, payload_hash, service, error_code, audit_run)
       SELECT message_id, $4, status, status_changed_at, encode(sha256(convert_to(payload, 'UTF8')), 'hex'), service, error_code, $5 FROM gone
       RETURNING message_id`,
      [entries.map(([status]) => status), entries.map(([, before]) => before.toISOString()), limit, run.at.toISOString(), run.id],
    );
    return rows.map((row) => row.message_id);
  }

  /**
   * Rewrites up to `limit` rows whose payload or edited payload (or edit diff) is not under the active data key (older key, or
   * plain from before encryption at rest) under it, and returns how many it rewrote: run until 0 before removing an
   * old key (docs/keys.md). Without an active key there is nothing to do.
   */
  async reencryptPayloads(limit: number): Promise<number> {
    const current = this.columns.payload.currentPrefix;
    if (current === undefined) return 0;
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ message_id: string; payload: string; edited_payload: string | null }>(
        `SELECT message_id, payload, edited_payload FROM failed_messages
          WHERE NOT starts_with(payload, $1) OR (edited_payload IS NOT NULL AND NOT starts_with(edited_payload, $1))
          ORDER BY message_id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [current, limit],
      );
      for (const row of rows) {
        await tx.query(`UPDATE failed_messages SET payload = $2, edited_payload = $3 WHERE message_id = $1`, [
          row.message_id,
          this.columns.payload.reseal(row.payload, row.message_id),
          row.edited_payload === null ? null : this.columns.edited.reseal(row.edited_payload, row.message_id),
        ]);
      }
      const { rows: diffs } = await tx.query<{ copy_id: string; diff: string }>(
        `SELECT copy_id, diff FROM failed_message_edits WHERE NOT starts_with(diff, $1) ORDER BY copy_id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [current, Math.max(0, limit - rows.length)],
      );
      for (const row of diffs) {
        await tx.query(`UPDATE failed_message_edits SET diff = $2 WHERE copy_id = $1`, [row.copy_id, this.columns.diff.reseal(row.diff, row.copy_id)]);
      }
      return rows.length + diffs.length;
    });
  }

  private async lockRow(tx: SqlExecutor, messageId: string): Promise<FailedMessage | undefined> {
    const { rows } = await tx.query<FailedMessageRow>(`SELECT * FROM failed_messages WHERE message_id = $1 FOR UPDATE`, [messageId]);
    return rows[0] ? toMessage(rows[0], this.columns) : undefined;
  }

  private async event(
    tx: SqlExecutor,
    messageId: string,
    kind: FailedMessageEventKind,
    at: Date,
    operator: string | null,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await tx.query(`INSERT INTO failed_message_events (message_id, kind, at, operator, detail) VALUES ($1, $2, $3, $4, $5::jsonb)`, [
      messageId,
      kind,
      at.toISOString(),
      operator,
      jsonParam(detail),
    ]);
  }
}
