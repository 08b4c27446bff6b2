/** Test-only fakes of the inbound use cases' ports (not exported from the lib). */
import { Envelope, serviceId } from '@korpu/envelope';
import { LogEntry, MessageLog } from '@korpu/message-log';
import { MessageRecord, MessageStatus, MessageStatusRepository, STATUS_RANK } from '@korpu/tracking';

/** MessageStatusRepository in memory: find / record / recordReply, with the same "never backwards" rule. */
export class InMemoryStatuses {
  readonly records = new Map<string, MessageRecord>();
  failWrites = false;

  async find(messageId: string): Promise<MessageRecord | undefined> {
    const record = this.records.get(messageId);
    return record && structuredClone(record);
  }

  async record(envelope: Envelope, status: MessageStatus, detail?: Record<string, unknown>): Promise<boolean> {
    if (this.failWrites) throw new Error('database down');
    const record = this.upsert(envelope);
    const moved = STATUS_RANK[record.status] <= STATUS_RANK[status];
    if (moved) record.status = status;
    if (status === MessageStatus.FAILED && detail) record.error = { code: String(detail.code), message: String(detail.message) };
    record.history.push({ status, at: new Date().toISOString(), ...(detail ? { detail } : {}) });
    return moved;
  }

  async recordReply(request: Envelope, reply: Envelope): Promise<void> {
    if (this.failWrites) throw new Error('database down');
    const record = this.upsert(request);
    if (STATUS_RANK[record.status] <= STATUS_RANK.replied) record.status = MessageStatus.REPLIED;
    record.reply = { messageId: reply.messageId, messageType: reply.messageType, schemaVersion: reply.schemaVersion, contentType: reply.contentType, payload: reply.payload };
    record.history.push({ status: MessageStatus.REPLIED, at: new Date().toISOString() });
  }

  asRepository(): MessageStatusRepository {
    return this as unknown as MessageStatusRepository;
  }

  private upsert(envelope: Envelope): MessageRecord {
    let record = this.records.get(envelope.messageId);
    if (!record) {
      record = {
        messageId: envelope.messageId,
        correlationId: envelope.correlationId,
        client: envelope.client,
        service: serviceId(envelope.service),
        messageType: envelope.messageType,
        schemaVersion: envelope.schemaVersion,
        direction: envelope.direction,
        status: MessageStatus.ACCEPTED,
        createdAt: envelope.createdAt,
        updatedAt: envelope.createdAt,
        attempts: 0,
        history: [],
      };
      this.records.set(envelope.messageId, record);
    }
    return record;
  }
}

/** MessageLog that keeps what is appended. */
export class RecordingMessageLog {
  readonly entries: LogEntry[] = [];

  async append(entry: LogEntry): Promise<unknown> {
    this.entries.push(entry);
    return entry;
  }

  events(messageId?: string): string[] {
    return this.entries.filter((entry) => messageId === undefined || entry.messageId === messageId || entry.inReplyTo === messageId).map((entry) => entry.event);
  }

  asMessageLog(): MessageLog {
    return this as unknown as MessageLog;
  }
}
