import { Injectable } from '@nestjs/common';
import type { ChainPosition } from '@korpu/message-log';
import { Database, SqlExecutor, wellFormed, wellFormedValue } from '@korpu/store';
import { auditRecordHash, HashedAuditFields } from './audit-chain';
import { AuditEntry, AuditEntryInput, AuditFilter } from './audit-entry';

interface AuditRow {
  seq: string;
  at: Date | string;
  operator: string;
  action: string;
  message_ids: string[];
  reason: string | null;
  before_state: unknown;
  after_state: unknown;
  before_hash: string | null;
  after_hash: string | null;
  detail: Record<string, unknown> | string | null;
  prev_hash: string;
  hash: string;
}

const COLUMNS = 'seq, at, operator, action, message_ids, reason, before_state, after_state, before_hash, after_hash, detail, prev_hash, hash';

const json = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: String(row.seq),
    seq: Number(row.seq),
    at: (row.at instanceof Date ? row.at : new Date(row.at)).toISOString(),
    operator: row.operator,
    action: row.action,
    messageIds: row.message_ids,
    reason: row.reason,
    before: json(row.before_state) ?? null,
    after: json(row.after_state) ?? null,
    beforeHash: row.before_hash,
    afterHash: row.after_hash,
    detail: (json(row.detail) ?? {}) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** A JSON value as it comes back from jsonb (so the hash computed now is the one verification recomputes). */
const stored = (value: unknown): unknown => (value === undefined ? null : JSON.parse(JSON.stringify(wellFormedValue(value))));

/**
 * The operators' audit trail (`audit_trail`): append-only (the database refuses updates and deletes) and
 * hash-chained. Every append takes the lock of the single head row (`UPDATE audit_trail_head ... RETURNING`)
 * until commit, so appenders in every process are serialised and seq has no gaps.
 */
@Injectable()
export class AuditTrail {
  constructor(private readonly db: Database) {}

  async record(entry: AuditEntryInput): Promise<AuditEntry> {
    return this.db.transaction(async (tx) => {
      const head = await tx.query<{ prev_seq: string; hash: string }>(
        `UPDATE audit_trail_head SET seq = seq + 1 WHERE id RETURNING seq - 1 AS prev_seq, hash`,
      );
      const row = head.rows[0];
      if (!row) throw new Error('audit_trail_head has no row: are the operators migrations applied?');
      const fields: HashedAuditFields = {
        seq: Number(row.prev_seq) + 1,
        at: entry.at.toISOString(),
        // Text as UTF-8 stores it (wellFormed): what is hashed must be what is stored, and jsonb refuses a lone surrogate.
        operator: wellFormed(entry.operator),
        action: entry.action,
        messageIds: entry.messageIds.map((id) => wellFormed(id)),
        reason: entry.reason === undefined ? null : wellFormed(entry.reason),
        before: stored(entry.before),
        after: stored(entry.after),
        beforeHash: entry.beforeHash ?? null,
        afterHash: entry.afterHash ?? null,
        detail: stored(entry.detail ?? {}) as Record<string, unknown>,
      };
      const hash = auditRecordHash(row.hash, fields);
      await tx.query(
        `WITH inserted AS (
           INSERT INTO audit_trail (${COLUMNS})
           VALUES ($1, $2, $3, $4, $5::text[], $6, $7::jsonb, $8::jsonb, $9, $10, $11::jsonb, $12, $13))
         UPDATE audit_trail_head SET hash = $13 WHERE id`,
        [
          fields.seq,
          fields.at,
          fields.operator,
          fields.action,
          fields.messageIds,
          fields.reason,
          fields.before === null ? null : JSON.stringify(fields.before),
          fields.after === null ? null : JSON.stringify(fields.after),
          fields.beforeHash,
          fields.afterHash,
          JSON.stringify(fields.detail),
          row.hash,
          hash,
        ],
      );
      return { ...fields, id: String(fields.seq), prevHash: row.hash, hash };
    });
  }

  /**
   * Entries matching the filter, at most `limit`: newest first below `before` (the list), or oldest first above
   * `after` (exports and verification).
   */
  async list(
    filter: AuditFilter,
    page: { limit: number; before?: string; after?: number; order?: 'newest' | 'oldest' },
    executor: SqlExecutor = this.db,
  ): Promise<AuditEntry[]> {
    const params: unknown[] = [];
    const clauses: string[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.operator) clauses.push(`operator = ${param(filter.operator)}`);
    if (filter.action) clauses.push(`action = ${param(filter.action)}`);
    if (filter.messageId) clauses.push(`message_ids @> ARRAY[${param(filter.messageId)}::text]`);
    if (filter.from) clauses.push(`at >= ${param(filter.from.toISOString())}::timestamptz`);
    if (filter.to) clauses.push(`at < ${param(filter.to.toISOString())}::timestamptz`);
    if (page.before) clauses.push(`seq < ${param(page.before)}::bigint`);
    if (page.after !== undefined) clauses.push(`seq > ${param(page.after)}::bigint`);
    const limit = param(page.limit);
    const { rows } = await executor.query<AuditRow>(
      `SELECT ${COLUMNS} FROM audit_trail ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''}
       ORDER BY seq ${page.order === 'oldest' ? 'ASC' : 'DESC'} LIMIT ${limit}`,
      params,
    );
    return rows.map(toEntry);
  }

  async head(executor: SqlExecutor = this.db): Promise<ChainPosition> {
    const { rows } = await executor.query<{ seq: string; hash: string }>(`SELECT seq, hash FROM audit_trail_head WHERE id`);
    if (!rows[0]) throw new Error('audit_trail_head has no row: are the operators migrations applied?');
    return { seq: Number(rows[0].seq), hash: rows[0].hash };
  }

  /** Runs `fn` in a transaction that sees one snapshot (REPEATABLE READ, read only). */
  async snapshot<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      return fn(tx);
    });
  }
}
