/** Where an operator has taken a failed message. A new failure of the same message id brings it back to `unresolved`. */
export const FailedMessageStatus = {
  UNRESOLVED: 'unresolved',
  REPLAYED: 'replayed',
  RESOLVED: 'resolved',
  ARCHIVED: 'archived',
  /** Put aside by an operator with a reason; restorable until the retention purge removes it. */
  DISCARDED: 'discarded',
} as const;
export type FailedMessageStatus = (typeof FailedMessageStatus)[keyof typeof FailedMessageStatus];
export const FAILED_MESSAGE_STATUSES: readonly FailedMessageStatus[] = Object.values(FailedMessageStatus);

/** What the dead-letter consumer stores: one dead-letter record, read (`readDeadLetterRecord`). */
export interface DeadLetteredMessage {
  messageId: string;
  correlationId?: string;
  client?: string;
  service?: string;
  messageType?: string;
  schemaVersion?: string;
  contentType?: string;
  /** The Kafka key of the original record (the correlation id for envelopes). */
  key: string | null;
  /** Absent when the dead-letter record did not say (such a message cannot be replayed). */
  originalTopic?: string;
  originalPartition?: number;
  originalOffset?: string;
  attempts: number;
  errorCode: string;
  errorMessage: string;
  fingerprint: string;
  firstFailedAt: Date;
  failedAt: Date;
  /** The original record's headers, without any `korpu-dlq-*` header. */
  headers: Record<string, string>;
  payload: string;
  /** Where the dead-letter record itself was read: makes storing it idempotent. */
  deadLetter: { topic: string; partition: number; offset: string };
  /** Problems found while reading the record (e.g. no message id: a synthetic one was given). */
  warnings: string[];
}

/** A row of the list: everything but the record itself. */
export interface FailedMessageSummary {
  messageId: string;
  correlationId: string | null;
  client: string | null;
  service: string | null;
  messageType: string | null;
  schemaVersion: string | null;
  originalTopic: string | null;
  attempts: number;
  errorCode: string;
  errorMessage: string;
  fingerprint: string;
  firstFailedAt: string;
  lastFailedAt: string;
  /** How many times the message reached the dead-letter topic. */
  failureCount: number;
  status: FailedMessageStatus;
  statusChangedAt: string;
  statusChangedBy: string | null;
  replayCount: number;
  edited: boolean;
  /** The partner the message was for (first segment of the service). */
  partner: string | null;
  /** Set when an operator edited and replayed it: the id of the copy sent instead. */
  editedTo: string | null;
  discardReason: string | null;
}

export interface FailedMessage extends FailedMessageSummary {
  contentType: string | null;
  key: string | null;
  originalPartition: number | null;
  originalOffset: string | null;
  headers: Record<string, string>;
  /** The payload exactly as it failed (never changed). */
  payload: string;
  /** The operator's corrected payload, replayed instead of `payload`. */
  editedPayload: string | null;
  editedAt: string | null;
  editedBy: string | null;
  lastReplayId: string | null;
  lastReplayedAt: string | null;
  lastReplayedBy: string | null;
}

export type FailedMessageEventKind = 'failed' | 'replayed' | 'replay-failed' | 'edited' | 'resolved' | 'archived' | 'discarded' | 'restored';

export interface FailedMessageEvent {
  kind: FailedMessageEventKind;
  at: string;
  operator: string | null;
  detail: Record<string, unknown>;
}

export interface FailedMessageFilter {
  status?: FailedMessageStatus[];
  service?: string;
  errorCode?: string;
  fingerprint?: string;
  client?: string;
  messageType?: string;
  schemaVersion?: string;
  partner?: string;
  /** Exact message id / correlation id. */
  messageId?: string;
  /** Any of these message ids (a selection). */
  messageIds?: string[];
  correlationId?: string;
  /** Last failure at or after (inclusive). */
  from?: Date;
  /** Last failure before (exclusive). */
  to?: Date;
  /** A prefix of the message id or of the correlation id. */
  text?: string;
}

/** Keyset position in the list: the last row seen. */
export interface FailedMessageCursor {
  lastFailedAt: string;
  messageId: string;
}

export interface FailedMessagePage {
  items: FailedMessageSummary[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

export type FailureGroupBy = 'fingerprint' | 'service';

export interface FailureGroup {
  /** The fingerprint or the service, after `by`. */
  key: string;
  count: number;
  /** Error codes seen in the group (for a fingerprint: one). */
  errorCodes: string[];
  /** The latest error message of the group: an example of the cause. */
  sampleErrorMessage: string;
  services: string[];
  firstFailedAt: string;
  lastFailedAt: string;
}

export function encodeCursor(cursor: FailedMessageCursor): string {
  return Buffer.from(JSON.stringify([cursor.lastFailedAt, cursor.messageId]), 'utf8').toString('base64url');
}

/** Undefined when the cursor is not one this API issued. */
export function decodeCursor(value: string): FailedMessageCursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
    const [lastFailedAt, messageId] = parsed as unknown[];
    if (typeof lastFailedAt !== 'string' || typeof messageId !== 'string' || Number.isNaN(Date.parse(lastFailedAt))) return undefined;
    return { lastFailedAt, messageId };
  } catch {
    return undefined;
  }
}
