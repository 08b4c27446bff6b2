import { createHash } from 'node:crypto';

/**
 * The dead-letter record contract (defined here only; the dispatcher and any other stage that gives up on a
 * message publish to `topics.deadLetter` with it, the failed-message store reads it).
 *
 * A dead-letter record is the ORIGINAL record unchanged — key, envelope headers (EnvelopeCodec) and value — plus
 * these headers, all readable strings.
 */
export const DeadLetterHeader = {
  /** The topic to replay to: the work topic (e.g. `korpu.outbound.tax-service`), never a retry tier. */
  ORIGINAL_TOPIC: 'korpu-dlq-original-topic',
  /** Partition of the record that failed (decimal). */
  ORIGINAL_PARTITION: 'korpu-dlq-original-partition',
  /** Offset of the record that failed (decimal, int64). */
  ORIGINAL_OFFSET: 'korpu-dlq-original-offset',
  /** How many delivery attempts were made before giving up (decimal, >= 1). */
  ATTEMPTS: 'korpu-dlq-attempts',
  /** Stable code of the last failure (a KorpuException code, e.g. `PARTNER_UNAVAILABLE`). */
  ERROR_CODE: 'korpu-dlq-error-code',
  /** Human-readable message of the last failure (truncated to 2,000 characters). */
  ERROR_MESSAGE: 'korpu-dlq-error-message',
  /** `failureFingerprint(code, message)`: groups failures by cause. */
  FINGERPRINT: 'korpu-dlq-fingerprint',
  /** ISO-8601 instant of the first time this message was dead-lettered; kept when it is dead-lettered again. */
  FIRST_FAILED_AT: 'korpu-dlq-first-failed-at',
  /** ISO-8601 instant of this failure. */
  FAILED_AT: 'korpu-dlq-failed-at',
} as const;
export type DeadLetterHeaderName = (typeof DeadLetterHeader)[keyof typeof DeadLetterHeader];

/** Every dead-letter header starts with this; a replay strips all headers that do. */
export const DEAD_LETTER_HEADER_PREFIX = 'korpu-dlq-';

/** The consumer group of the failed-message store on the dead-letter topic. */
export const FAILED_MESSAGES_CONSUMER_GROUP = 'korpu-failed-messages';

export const MAX_ERROR_MESSAGE_LENGTH = 2000;

export function isDeadLetterHeader(name: string): boolean {
  return name.toLowerCase().startsWith(DEAD_LETTER_HEADER_PREFIX);
}

/** The headers without any `korpu-dlq-*` header. */
export function stripDeadLetterHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (!isDeadLetterHeader(name)) result[name] = value;
  return result;
}

const PLACEHOLDERS: Array<[RegExp, string]> = [
  // ISO-8601 instants and dates
  [/\b\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?\b/g, '<time>'],
  // UUIDs
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uuid>'],
  // ULIDs (message ids), lower-cased by then
  [/\b[0-9a-hjkmnp-tv-z]{26}\b/g, '<id>'],
  // IPv4 addresses with an optional port
  [/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g, '<ip>'],
  // long hex strings (hashes, trace ids)
  [/\b(?=[0-9a-f]*\d)[0-9a-f]{16,}\b/g, '<hex>'],
  // numbers of 4 digits or more (ids, durations, ports); 1-3 digit numbers (HTTP statuses) stay
  [/\d{4,}(?:\.\d+)?/g, '<n>'],
];

/**
 * The error message with what varies between occurrences of the same cause (ids, instants, addresses, long
 * numbers) replaced by placeholders, lower-cased and with white space collapsed.
 */
export function normalizeErrorMessage(message: string): string {
  let normalized = message.slice(0, MAX_ERROR_MESSAGE_LENGTH).toLowerCase();
  for (const [pattern, placeholder] of PLACEHOLDERS) normalized = normalized.replace(pattern, placeholder);
  return normalized.replace(/\s+/g, ' ').trim();
}

/** A stable hash of the error code and the normalised message: equal for failures with the same cause. */
export function failureFingerprint(code: string, message: string): string {
  return createHash('sha256').update(`${code.trim()}\n${normalizeErrorMessage(message)}`).digest('hex').slice(0, 32);
}

export interface DeadLetterInput {
  /** Where the record that failed was read from, and its headers as read (envelope headers, possibly old dlq headers). */
  original: { topic: string; partition: number; offset: string; headers: Readonly<Record<string, string>> };
  failure: { code: string; message: string };
  attempts: number;
  failedAt: Date;
  /** When the message failed first, if the caller knows better than the headers (default: the headers, else `failedAt`). */
  firstFailedAt?: Date;
}

/**
 * The headers of the dead-letter record: the original headers with every `korpu-dlq-*` header REPLACED by the
 * ones of this failure (a message that fails again after a replay, or a record forwarded twice, never carries
 * two sets). The original `korpu-dlq-first-failed-at` is kept when the record already has a valid one.
 */
export function deadLetterHeaders(input: DeadLetterInput): Record<string, string> {
  const previousFirst = Object.entries(input.original.headers).find(
    ([name]) => name.toLowerCase() === DeadLetterHeader.FIRST_FAILED_AT,
  )?.[1];
  const previousFirstAt = previousFirst && !Number.isNaN(Date.parse(previousFirst)) ? new Date(previousFirst) : undefined;
  const firstFailedAt = earliest([previousFirstAt, input.firstFailedAt, input.failedAt]);
  const message = input.failure.message.slice(0, MAX_ERROR_MESSAGE_LENGTH);
  return {
    ...stripDeadLetterHeaders(input.original.headers),
    [DeadLetterHeader.ORIGINAL_TOPIC]: input.original.topic,
    [DeadLetterHeader.ORIGINAL_PARTITION]: String(input.original.partition),
    [DeadLetterHeader.ORIGINAL_OFFSET]: String(input.original.offset),
    [DeadLetterHeader.ATTEMPTS]: String(Math.max(1, Math.trunc(input.attempts))),
    [DeadLetterHeader.ERROR_CODE]: input.failure.code,
    [DeadLetterHeader.ERROR_MESSAGE]: message,
    [DeadLetterHeader.FINGERPRINT]: failureFingerprint(input.failure.code, message),
    [DeadLetterHeader.FIRST_FAILED_AT]: firstFailedAt.toISOString(),
    [DeadLetterHeader.FAILED_AT]: input.failedAt.toISOString(),
  };
}

function earliest(dates: Array<Date | undefined>): Date {
  return dates.filter((date): date is Date => date !== undefined).reduce((a, b) => (b.getTime() < a.getTime() ? b : a));
}
