import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Database } from '@korpu/store';

/** What operators do. `view` is recorded because payloads hold personal data. */
export const OperatorAction = {
  VIEW: 'view',
  EDIT: 'edit',
  REPLAY: 'replay',
  BULK_REPLAY: 'bulk-replay',
  RESOLVE: 'resolve',
  ARCHIVE: 'archive',
  /** Edit-and-replay: a corrected copy with a new message id was sent instead of the original. */
  EDIT_REPLAY: 'edit-replay',
  DISCARD: 'discard',
  RESTORE: 'restore',
  /** The retention purge removed closed messages (their ids and hashes stay in failed_message_purges). */
  PURGE: 'purge',
  REPLAY_JOB_CREATE: 'replay-job-create',
  REPLAY_JOB_PAUSE: 'replay-job-pause',
  REPLAY_JOB_RESUME: 'replay-job-resume',
  REPLAY_JOB_CANCEL: 'replay-job-cancel',
  /** Access rights: who may call which service (the gateway's admin API records these here too). */
  GRANT_ACCESS: 'grant-access',
  REVOKE_ACCESS: 'revoke-access',
  /** The inventory export for the department's audits (clients, services, certificates, grants). */
  EXPORT_INVENTORY: 'export-inventory',
} as const;
export type OperatorAction = (typeof OperatorAction)[keyof typeof OperatorAction];
export const OPERATOR_ACTIONS: readonly OperatorAction[] = Object.values(OperatorAction);

export interface AuditEntryInput {
  operator: string;
  action: OperatorAction;
  messageIds: string[];
  at: Date;
  reason?: string;
  /** sha256 of what the action saw (e.g. the payload before an edit). */
  beforeHash?: string;
  /** sha256 of what the action produced (e.g. the payload after an edit, the payload replayed). */
  afterHash?: string;
  detail?: Record<string, unknown>;
}

export interface AuditEntry {
  id: string;
  at: string;
  operator: string;
  action: OperatorAction;
  messageIds: string[];
  reason: string | null;
  beforeHash: string | null;
  afterHash: string | null;
  detail: Record<string, unknown>;
}

export interface AuditFilter {
  operator?: string;
  action?: OperatorAction;
  messageId?: string;
  from?: Date;
  to?: Date;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The operators' audit trail (`operator_audit`, append-only: the database refuses updates and deletes). */
@Injectable()
export class AuditTrail {
  constructor(private readonly db: Database) {}

  async record(entry: AuditEntryInput): Promise<void> {
    await this.db.query(
      `INSERT INTO operator_audit (at, operator, action, message_ids, reason, before_hash, after_hash, detail)
       VALUES ($1, $2, $3, $4::text[], $5, $6, $7, $8::jsonb)`,
      [
        entry.at.toISOString(),
        entry.operator,
        entry.action,
        entry.messageIds,
        entry.reason ?? null,
        entry.beforeHash ?? null,
        entry.afterHash ?? null,
        JSON.stringify(entry.detail ?? {}),
      ],
    );
  }

  /** Newest first; `before` is the id of the last entry of the previous page. */
  async list(filter: AuditFilter, page: { limit: number; before?: string }): Promise<AuditEntry[]> {
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
    if (page.before) clauses.push(`id < ${param(page.before)}::bigint`);
    const limit = param(page.limit);
    const { rows } = await this.db.query<{
      id: string;
      at: Date | string;
      operator: string;
      action: OperatorAction;
      message_ids: string[];
      reason: string | null;
      before_hash: string | null;
      after_hash: string | null;
      detail: Record<string, unknown> | string | null;
    }>(
      `SELECT id, at, operator, action, message_ids, reason, before_hash, after_hash, detail FROM operator_audit
       ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${limit}`,
      params,
    );
    return rows.map((row) => ({
      id: String(row.id),
      at: (row.at instanceof Date ? row.at : new Date(row.at)).toISOString(),
      operator: row.operator,
      action: row.action,
      messageIds: row.message_ids,
      reason: row.reason,
      beforeHash: row.before_hash,
      afterHash: row.after_hash,
      detail: (typeof row.detail === 'string' ? JSON.parse(row.detail) : (row.detail ?? {})) as Record<string, unknown>,
    }));
  }
}
