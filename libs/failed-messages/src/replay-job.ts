import { FailedMessageFilter } from './failed-message';

/** A bulk-replay job: `running` until every item is done (`completed`), or paused / cancelled by an operator. */
export const ReplayJobState = {
  RUNNING: 'running',
  PAUSED: 'paused',
  CANCELLED: 'cancelled',
  COMPLETED: 'completed',
} as const;
export type ReplayJobState = (typeof ReplayJobState)[keyof typeof ReplayJobState];

/**
 * One message of a job. `sending`: claimed by a worker, its record may be on the way to Kafka; `in-doubt`: it was
 * `sending` when its worker died — it may or may not have been published, so it is not published again (check
 * its delivery status; replay it by hand if it never arrived).
 */
export type ReplayJobItemState = 'pending' | 'sending' | 'sent' | 'skipped' | 'failed' | 'in-doubt' | 'cancelled';

/** What a job replays: chosen messages, one failure group (fingerprint), or a filter. */
export type ReplayJobSelection = { ids: string[] } | { fingerprint: string } | { filter: FailedMessageFilter };

export interface ReplayJob {
  id: string;
  state: ReplayJobState;
  createdAt: string;
  createdBy: string;
  reason: string | null;
  force: boolean;
  selection: unknown;
  /** Messages the job took on (those already queued in another job are left to it). */
  total: number;
  partners: Array<{ partner: string; count: number }>;
  stateChangedAt: string;
  stateChangedBy: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  leaseOwner: string | null;
  leaseUntil: string | null;
}

export interface ReplayJobProgress {
  job: ReplayJob;
  /** Published to Kafka. */
  done: number;
  /** Not published: no longer replayable, already replied (without force), or Kafka refused for good. */
  failed: number;
  skipped: number;
  inDoubt: number;
  cancelled: number;
  /** Still to publish (pending or being published). */
  remaining: number;
  /** Messages handled per second over the last 30 s. */
  ratePerSecond: number;
  /** Seconds until done at the current rate; null when not running or no rate yet. */
  etaSeconds: number | null;
  /** 0..100 */
  percent: number;
}

export interface ReplayJobItem {
  seq: number;
  messageId: string;
  partner: string;
  state: ReplayJobItemState;
  detail: string | null;
  updatedAt: string | null;
}

/** The filter a selection stands for (status defaults to unresolved for groups and filters). */
export function selectionFilter(selection: ReplayJobSelection, replayable: readonly string[]): FailedMessageFilter {
  if ('ids' in selection) return { messageIds: selection.ids, status: [...replayable] as FailedMessageFilter['status'] };
  const base: FailedMessageFilter = 'fingerprint' in selection ? { fingerprint: selection.fingerprint } : { ...selection.filter };
  const wanted = base.status ?? ['unresolved'];
  return { ...base, status: wanted.filter((status) => replayable.includes(status)) };
}

/** The selection as stored and shown (instants as ISO-8601 text). */
export function selectionForDisplay(selection: ReplayJobSelection): Record<string, unknown> {
  if (!('filter' in selection)) return selection;
  const { from, to, ...rest } = selection.filter;
  return { filter: { ...rest, ...(from ? { from: from.toISOString() } : {}), ...(to ? { to: to.toISOString() } : {}) } };
}
