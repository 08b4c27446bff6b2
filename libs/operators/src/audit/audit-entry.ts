import { createHash } from 'node:crypto';

/**
 * What operators do (the audit trail's `action`). Other capabilities may record actions of their own: any
 * kebab-case name is accepted (AUDIT_ACTION_PATTERN); these are the ones known here.
 */
export const OperatorAction = {
  /** `view` is recorded because payloads hold personal data. */
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
  /** Access rights: who may call which service. */
  GRANT_ACCESS: 'grant-access',
  REVOKE_ACCESS: 'revoke-access',
  SIGN_IN: 'sign-in',
  SIGN_IN_FAILED: 'sign-in-failed',
  SIGN_IN_THROTTLED: 'sign-in-throttled',
  SIGN_OUT: 'sign-out',
  /** An admin ended someone's session. */
  END_SESSION: 'end-session',
  /** Personal data shown unmasked, with the operator's reason. */
  UNMASK: 'unmask',
  EXPORT_AUDIT: 'export-audit',
  /** The inventory export for the department's audits (clients, services, certificates, grants). */
  EXPORT_INVENTORY: 'export-inventory',
} as const;
export type OperatorAction = (typeof OperatorAction)[keyof typeof OperatorAction];
export const OPERATOR_ACTIONS: readonly OperatorAction[] = Object.values(OperatorAction);
export const AUDIT_ACTION_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;

export interface AuditEntryInput {
  /** Who: the operator's name (or the user name tried, for a failed sign-in). */
  operator: string;
  action: OperatorAction | (string & {});
  messageIds: string[];
  at: Date;
  reason?: string;
  /** The state the action changed, before it (small JSON; no personal data: hash it instead). */
  before?: unknown;
  /** The state after the action. */
  after?: unknown;
  /** sha256 of what the action saw (e.g. the payload before an edit). */
  beforeHash?: string;
  /** sha256 of what the action produced (e.g. the payload after an edit, the payload replayed). */
  afterHash?: string;
  detail?: Record<string, unknown>;
}

export interface AuditEntry {
  /** The seq, as a string (the cursor of the list). */
  id: string;
  seq: number;
  at: string;
  operator: string;
  action: string;
  messageIds: string[];
  reason: string | null;
  before: unknown;
  after: unknown;
  beforeHash: string | null;
  afterHash: string | null;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface AuditFilter {
  operator?: string;
  action?: string;
  messageId?: string;
  from?: Date;
  to?: Date;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
