import { StatementBatcher, wellFormed, wellFormedValue } from '@korpu/store';
import { canonicalJson } from './chain/record-hash';
import { PayloadCipher } from './crypto/payload-cipher';
import { ChainedRecord, LOG_EVENTS, LogEntry, LogQuery, LogRecord } from './log-record';
import { MessageLogErrorCode } from './message-log-error-code';
import { MessageLogException } from './message-log.exception';
import { MessageLogRepository, PreparedRecord } from './message-log.repository';

export interface MessageLogOptions {
  /** Most entries written in one transaction when appends queue up (default 100). */
  maxBatchSize?: number;
}


const REQUIRED: (keyof LogEntry)[] = [
  'messageId',
  'correlationId',
  'direction',
  'client',
  'service',
  'messageType',
  'schemaVersion',
];

/**
 * The tamper-evident log of every message that enters or leaves Körpü.
 *
 * append() validates the entry and encrypts its payload (when configured) before queueing it; one writer per
 * process drains the queue, so appends that arrive while a transaction is in flight are chained together in
 * the next one (group commit). Across processes the chain head's row lock serialises writers.
 */
export class MessageLog {
  private readonly writes: StatementBatcher<PreparedRecord, ChainedRecord>;

  constructor(
    private readonly repository: MessageLogRepository,
    private readonly cipher: PayloadCipher = new PayloadCipher(),
    options: MessageLogOptions = {},
  ) {
    this.writes = new StatementBatcher((records) => this.repository.appendBatch(records), {
      maxBatch: Math.max(1, options.maxBatchSize ?? 100),
      gatherTurn: true,
    });
  }

  /**
   * Writes one record and resolves once it is committed, with its seq and hashes.
   * @throws ENTRY_INVALID, ENCRYPTION_UNAVAILABLE; StoreException when the database fails
   */
  append(entry: LogEntry): Promise<LogRecord> {
    let record: PreparedRecord;
    try {
      record = this.prepare(entry);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.writes.submit(record).then((chained) => ({
      ...chained,
      encryptedPayload: chained.payloadKeyId === null ? null : chained.payload,
      payload: entry.payload ?? null,
    }));
  }

  /** Records matching the query in seq order, payloads decrypted when the key is configured. */
  async read(query: LogQuery = {}): Promise<LogRecord[]> {
    const records = await this.repository.read(query);
    return records.map((record) => this.open(record));
  }

  /** Every record of one message (received, sent, failed, replayed...) in seq order. */
  findByMessageId(messageId: string): Promise<LogRecord[]> {
    return this.read({ messageId, limit: 1000 });
  }

  private prepare(entry: LogEntry): PreparedRecord {
    const missing = REQUIRED.filter((field) => typeof entry[field] !== 'string' || entry[field] === '');
    if (!LOG_EVENTS.includes(entry.event)) missing.unshift('event');
    if (missing.length) {
      throw new MessageLogException(MessageLogErrorCode.ENTRY_INVALID, `log entry lacks ${missing.join(', ')}`, {
        messageId: entry.messageId,
        fields: missing,
      });
    }
    const occurred = entry.occurredAt === undefined ? new Date() : new Date(entry.occurredAt);
    if (Number.isNaN(occurred.getTime())) {
      throw new MessageLogException(
        MessageLogErrorCode.ENTRY_INVALID,
        `occurredAt "${entry.occurredAt}" is not a timestamp`,
        {
          messageId: entry.messageId,
        },
      );
    }
    const payload = wellFormed(entry.payload);
    const encrypt = payload !== undefined && (entry.encrypt ?? this.cipher.canEncrypt);
    const sealed = encrypt ? this.cipher.encrypt(payload, entry.messageId) : undefined;
    return {
      event: entry.event,
      messageId: wellFormed(entry.messageId),
      correlationId: wellFormed(entry.correlationId),
      direction: wellFormed(entry.direction),
      client: wellFormed(entry.client),
      service: wellFormed(entry.service),
      messageType: wellFormed(entry.messageType),
      schemaVersion: wellFormed(entry.schemaVersion),
      occurredAt: occurred.toISOString(),
      contentType: wellFormed(entry.contentType) ?? null,
      payload: sealed ? sealed.ciphertext : (payload ?? null),
      payloadKeyId: sealed ? sealed.keyId : null,
      inReplyTo: wellFormed(entry.inReplyTo) ?? null,
      signatureFormat: entry.signature?.format ?? null,
      signatureValue: wellFormed(entry.signature?.value) ?? null,
      signerCertificate: wellFormed(entry.signature?.certificate) ?? null,
      signatureVerification: entry.signature?.verification ?? null,
      // What is hashed must be what is stored: text as UTF-8 stores it (no lone surrogate, see wellFormed), the detail
      // as jsonb gives it back (canonical, undefined members dropped).
      detail: entry.detail === undefined ? null : (JSON.parse(canonicalJson(wellFormedValue(entry.detail))) as Record<string, unknown>),
    };
  }

  private open(record: ChainedRecord): LogRecord {
    if (record.payloadKeyId === null || record.payload === null) return { ...record, encryptedPayload: null };
    const readable = this.cipher.hasKey(record.payloadKeyId);
    return {
      ...record,
      encryptedPayload: record.payload,
      payload: readable
        ? this.cipher.decrypt({ keyId: record.payloadKeyId, ciphertext: record.payload }, record.messageId)
        : null,
    };
  }
}
