/**
 * In-memory stand-ins for the use-case specs: the repositories keep rows in maps with the same status rules as the
 * SQL ones (the SQL itself is covered by the PGlite specs), the producer records what it is given.
 */
import { EnvelopeCodec, createEnvelope } from '@korpu/envelope';
import { MessageProducer, OutgoingMessage } from '@korpu/messaging';
import { MessageRecord, MessageStatus, MessageStatusRepository } from '@korpu/tracking';
import { AuditEntryInput, AuditTrail } from '../src/audit/audit-trail.repository';
import { Clock } from '../src/clock';
import { failureFingerprint } from '../src/dead-letter-headers';
import { FailedMessage, FailedMessageEvent, FailedMessageFilter, FailedMessageStatus, FailedMessageSummary } from '../src/failed-message';
import { ChangeResult, ClaimResult, EditCopy, FailedMessageRepository, ReplayClaim } from '../src/failed-message.repository';

export class FixedClock extends Clock {
  constructor(public current = new Date('2026-12-01T10:00:00Z')) {
    super();
  }
  now(): Date {
    return new Date(this.current);
  }
}

let sequence = 0;

/** A stored failed message of a JSON request to tax-service, as the dead-letter consumer would keep it. */
export function aFailedMessage(overrides: Partial<FailedMessage> = {}): FailedMessage {
  sequence++;
  const envelope = createEnvelope(
    {
      client: 'MLSP/pensions',
      service: { partner: 'tax-service', operation: 'GetTaxpayer' },
      messageType: 'taxpayer-lookup-request',
      schemaVersion: '1',
      contentType: 'application/json',
      payload: `{"voen":"12345678${String(sequence).padStart(2, '0')}"}`,
      attempt: 5,
      signature: { format: 'jws', value: 'h..s' },
    },
    new Date(Date.parse('2026-12-01T08:00:00Z') + sequence * 1000),
  );
  const record = EnvelopeCodec.encode(envelope);
  const failedAt = new Date(Date.parse('2026-12-01T09:00:00Z') + sequence * 1000).toISOString();
  return {
    messageId: envelope.messageId,
    correlationId: envelope.correlationId,
    client: envelope.client,
    service: 'tax-service/GetTaxpayer',
    messageType: envelope.messageType,
    schemaVersion: envelope.schemaVersion,
    contentType: envelope.contentType,
    key: record.key,
    originalTopic: 'korpu.outbound.tax-service',
    originalPartition: 0,
    originalOffset: String(sequence),
    attempts: 5,
    errorCode: 'PARTNER_UNAVAILABLE',
    errorMessage: 'tax-service answered 503',
    fingerprint: failureFingerprint('PARTNER_UNAVAILABLE', 'tax-service answered 503'),
    firstFailedAt: failedAt,
    lastFailedAt: failedAt,
    failureCount: 1,
    status: 'unresolved',
    statusChangedAt: failedAt,
    statusChangedBy: null,
    replayCount: 0,
    edited: false,
    headers: record.headers,
    payload: envelope.payload,
    editedPayload: null,
    editedAt: null,
    editedBy: null,
    lastReplayId: null,
    lastReplayedAt: null,
    lastReplayedBy: null,
    partner: 'tax-service',
    editedTo: null,
    discardReason: null,
    ...overrides,
  };
}

function matches(message: FailedMessage, filter: FailedMessageFilter): boolean {
  return (
    (!filter.status?.length || filter.status.includes(message.status)) &&
    (!filter.service || message.service === filter.service) &&
    (!filter.errorCode || message.errorCode === filter.errorCode) &&
    (!filter.fingerprint || message.fingerprint === filter.fingerprint) &&
    (!filter.client || message.client === filter.client)
  );
}

export class InMemoryFailedMessages {
  readonly rows = new Map<string, FailedMessage>();
  readonly events: Array<FailedMessageEvent & { messageId: string }> = [];

  add(...messages: FailedMessage[]): this {
    for (const message of messages) this.rows.set(message.messageId, { ...message });
    return this;
  }

  async find(messageId: string): Promise<FailedMessage | undefined> {
    const row = this.rows.get(messageId);
    return row ? { ...row } : undefined;
  }

  async edits(messageId: string): Promise<{ copies: unknown[] }> {
    return { copies: this.editCopies.filter((edit) => edit.originalId === messageId) };
  }

  async history(messageId: string): Promise<FailedMessageEvent[]> {
    return this.events.filter((event) => event.messageId === messageId).map(({ messageId: _id, ...event }) => event);
  }

  async search(filter: FailedMessageFilter, page: { limit: number; order?: 'asc' | 'desc' }): Promise<FailedMessageSummary[]> {
    const sorted = [...this.rows.values()].filter((m) => matches(m, filter)).sort((a, b) => a.lastFailedAt.localeCompare(b.lastFailedAt));
    if (page.order !== 'asc') sorted.reverse();
    return sorted.slice(0, page.limit);
  }

  async count(filter: FailedMessageFilter): Promise<number> {
    return [...this.rows.values()].filter((m) => matches(m, filter)).length;
  }

  async claimForReplay(messageId: string, from: readonly FailedMessageStatus[], claim: ReplayClaim): Promise<ClaimResult> {
    const row = this.rows.get(messageId);
    if (!row) return { claimed: false };
    if (!from.includes(row.status)) return { claimed: false, message: { ...row } };
    const before = { ...row };
    Object.assign(row, {
      status: 'replayed',
      replayCount: row.replayCount + 1,
      lastReplayId: claim.replayId,
      lastReplayedBy: claim.operator,
      lastReplayedAt: claim.at.toISOString(),
    });
    this.events.push({ messageId, kind: 'replayed', at: claim.at.toISOString(), operator: claim.operator, detail: { replayId: claim.replayId } });
    return { claimed: true, message: before, previousStatus: before.status };
  }

  async releaseReplay(messageId: string, replayId: string, previousStatus: FailedMessageStatus, at: Date, error: string): Promise<void> {
    const row = this.rows.get(messageId);
    if (row && row.lastReplayId === replayId && row.status === 'replayed') Object.assign(row, { status: previousStatus, replayCount: row.replayCount - 1 });
    this.events.push({ messageId, kind: 'replay-failed', at: at.toISOString(), operator: null, detail: { replayId, error } });
  }

  async saveEdit(
    messageId: string,
    editedPayload: string | null,
    from: readonly FailedMessageStatus[],
    edit: { operator: string; at: Date },
  ): Promise<ChangeResult> {
    const row = this.rows.get(messageId);
    if (!row || !from.includes(row.status)) return { changed: false, message: row && { ...row } };
    Object.assign(row, {
      editedPayload,
      edited: editedPayload !== null,
      editedBy: editedPayload === null ? null : edit.operator,
      editedAt: editedPayload === null ? null : edit.at.toISOString(),
    });
    this.events.push({ messageId, kind: 'edited', at: edit.at.toISOString(), operator: edit.operator, detail: {} });
    return { changed: true, message: { ...row }, previousStatus: row.status };
  }

  async changeStatus(
    messageId: string,
    to: 'resolved' | 'archived',
    from: readonly FailedMessageStatus[],
    change: { operator: string; at: Date },
  ): Promise<ChangeResult> {
    const row = this.rows.get(messageId);
    if (!row || !from.includes(row.status)) return { changed: false, message: row && { ...row } };
    const previousStatus = row.status;
    Object.assign(row, { status: to, statusChangedBy: change.operator, statusChangedAt: change.at.toISOString() });
    this.events.push({ messageId, kind: to, at: change.at.toISOString(), operator: change.operator, detail: { previousStatus } });
    return { changed: true, message: { ...row }, previousStatus };
  }

  readonly editCopies: EditCopy[] = [];

  async recordEditCopy(edit: EditCopy, from: readonly FailedMessageStatus[]): Promise<ChangeResult> {
    const row = this.rows.get(edit.originalId);
    if (!row || !from.includes(row.status)) return { changed: false, message: row && { ...row } };
    const previousStatus = row.status;
    this.editCopies.push(edit);
    Object.assign(row, { status: 'resolved', editedTo: edit.copyId, edited: true, statusChangedBy: edit.operator });
    this.events.push({ messageId: edit.originalId, kind: 'edited', at: edit.at.toISOString(), operator: edit.operator, detail: { copyId: edit.copyId } });
    return { changed: true, message: { ...row }, previousStatus };
  }

  async undoEditCopy(originalId: string, copyId: string, previousStatus: FailedMessageStatus, at: Date, error: string): Promise<void> {
    const index = this.editCopies.findIndex((edit) => edit.copyId === copyId);
    if (index >= 0) this.editCopies.splice(index, 1);
    const row = this.rows.get(originalId);
    if (row && row.editedTo === copyId) Object.assign(row, { status: previousStatus, editedTo: null, edited: false });
    this.events.push({ messageId: originalId, kind: 'replay-failed', at: at.toISOString(), operator: null, detail: { copyId, error } });
  }

  asRepository(): FailedMessageRepository {
    return this as unknown as FailedMessageRepository;
  }
}

export class InMemoryAudit {
  readonly entries: AuditEntryInput[] = [];
  async record(entry: AuditEntryInput): Promise<void> {
    this.entries.push(entry);
  }
  asAuditTrail(): AuditTrail {
    return this as unknown as AuditTrail;
  }
}

export class RecordingProducer extends MessageProducer {
  readonly sent: Array<{ topic: string; message: OutgoingMessage }> = [];
  failWith?: Error;
  async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    for (const message of messages) this.sent.push({ topic, message });
  }
}

/** Tracking as far as the replay uses it. */
export class InMemoryStatuses {
  readonly tracked = new Map<string, MessageRecord>();
  readonly replays: Array<{ messageId: string; detail: Record<string, unknown> }> = [];
  readonly recorded: Array<{ messageId: string; status: MessageStatus; detail?: Record<string, unknown> }> = [];

  track(messageId: string, status: MessageStatus = 'failed'): this {
    this.tracked.set(messageId, {
      messageId,
      correlationId: messageId,
      client: 'MLSP/pensions',
      service: 'tax-service/GetTaxpayer',
      messageType: 'taxpayer-lookup-request',
      schemaVersion: '1',
      direction: 'outbound',
      status,
      createdAt: '2026-12-01T08:00:00.000Z',
      updatedAt: '2026-12-01T09:00:00.000Z',
      attempts: 5,
      history: [],
    });
    return this;
  }
  async find(messageId: string): Promise<MessageRecord | undefined> {
    return this.tracked.get(messageId);
  }
  async statusesOf(messageIds: readonly string[]): Promise<Map<string, MessageStatus>> {
    return new Map(messageIds.flatMap((id) => (this.tracked.has(id) ? [[id, this.tracked.get(id)!.status] as const] : [])));
  }
  async recordReplay(messageId: string, detail: Record<string, unknown>): Promise<void> {
    this.replays.push({ messageId, detail });
  }
  async record(envelope: { messageId: string }, status: MessageStatus, detail?: Record<string, unknown>): Promise<boolean> {
    this.recorded.push({ messageId: envelope.messageId, status, detail });
    return true;
  }
  asRepository(): MessageStatusRepository {
    return this as unknown as MessageStatusRepository;
  }
}
