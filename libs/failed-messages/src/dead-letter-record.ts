import { EnvelopeHeader } from '@korpu/envelope';
import type { IncomingMessage } from '@korpu/messaging';
import { DeadLetterHeader, MAX_ERROR_MESSAGE_LENGTH, failureFingerprint, stripDeadLetterHeaders } from './dead-letter-headers';
import { DeadLetteredMessage } from './failed-message';

const UNKNOWN_ERROR = 'UNKNOWN';

/**
 * Reads a record of the dead-letter topic. Never throws: a record that breaks the contract (no message id, no
 * error code, a bad number) is still stored — with a synthetic id `dlq:<topic>:<partition>:<offset>` when it has
 * no message id — and what was wrong is listed in `warnings`, so nothing that reached the dead-letter topic is lost.
 */
export function readDeadLetterRecord(record: IncomingMessage): DeadLetteredMessage {
  const warnings: string[] = [];
  // Header names are looked up case-insensitively; the stored headers keep their names as received.
  const headers = Object.fromEntries(Object.entries(record.headers).map(([name, value]) => [name.toLowerCase(), value]));
  const text = (name: string): string | undefined => {
    const value = headers[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const instant = (name: string): Date | undefined => {
    const value = text(name);
    if (value === undefined) return undefined;
    const parsed = Date.parse(value);
    if (Number.isNaN(parsed)) {
      warnings.push(`${name} is not an ISO-8601 instant: "${value}"`);
      return undefined;
    }
    return new Date(parsed);
  };
  const integer = (name: string): number | undefined => {
    const value = text(name);
    if (value === undefined) return undefined;
    if (!/^\d{1,15}$/.test(value)) {
      warnings.push(`${name} is not a non-negative integer: "${value}"`);
      return undefined;
    }
    return Number(value);
  };

  let messageId = text(EnvelopeHeader.MESSAGE_ID);
  if (!messageId) {
    messageId = `dlq:${record.topic}:${record.partition}:${record.offset}`;
    warnings.push(`the record has no ${EnvelopeHeader.MESSAGE_ID} header; stored as ${messageId}`);
  }
  const errorCode = text(DeadLetterHeader.ERROR_CODE) ?? UNKNOWN_ERROR;
  if (errorCode === UNKNOWN_ERROR) warnings.push(`the record has no ${DeadLetterHeader.ERROR_CODE} header`);
  const errorMessage = (text(DeadLetterHeader.ERROR_MESSAGE) ?? '').slice(0, MAX_ERROR_MESSAGE_LENGTH);
  const originalTopic = text(DeadLetterHeader.ORIGINAL_TOPIC);
  if (!originalTopic) warnings.push(`the record has no ${DeadLetterHeader.ORIGINAL_TOPIC} header: it cannot be replayed`);
  const offset = text(DeadLetterHeader.ORIGINAL_OFFSET);
  const failedAt = instant(DeadLetterHeader.FAILED_AT) ?? new Date(Number.isFinite(record.timestamp) ? record.timestamp : Date.now());
  const firstFailedAt = instant(DeadLetterHeader.FIRST_FAILED_AT);
  const attempts = integer(DeadLetterHeader.ATTEMPTS) ?? integer(EnvelopeHeader.ATTEMPT) ?? 1;

  return {
    messageId,
    correlationId: text(EnvelopeHeader.CORRELATION_ID),
    client: text(EnvelopeHeader.CLIENT),
    service: text(EnvelopeHeader.SERVICE),
    messageType: text(EnvelopeHeader.MESSAGE_TYPE),
    schemaVersion: text(EnvelopeHeader.SCHEMA_VERSION),
    contentType: text(EnvelopeHeader.CONTENT_TYPE),
    key: record.key,
    originalTopic,
    originalPartition: integer(DeadLetterHeader.ORIGINAL_PARTITION),
    originalOffset: offset !== undefined && /^\d{1,19}$/.test(offset) ? offset : undefined,
    attempts: Math.max(1, attempts),
    errorCode,
    errorMessage,
    // Recomputed rather than trusted, so that groups stay consistent if a producer computed it differently.
    fingerprint: failureFingerprint(errorCode, errorMessage),
    firstFailedAt: firstFailedAt && firstFailedAt.getTime() <= failedAt.getTime() ? firstFailedAt : failedAt,
    failedAt,
    headers: stripDeadLetterHeaders(record.headers),
    payload: record.value.toString('utf8'),
    deadLetter: { topic: record.topic, partition: record.partition, offset: record.offset },
    warnings,
  };
}
