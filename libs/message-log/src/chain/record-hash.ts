import { createHash } from 'node:crypto';
import type { ChainedRecord } from '../log-record';

/** prev_hash of the very first record (seq 1): 32 zero bytes, hex. */
export const GENESIS_HASH = '0'.repeat(64);

/** Version tag, first element of every canonical serialization: changing the layout means a new tag. */
export const CANONICAL_VERSION = 'korpu-message-log/1';

/** The fields a record's hash covers: everything but the hash itself (prev_hash enters separately). */
export type HashedFields = Omit<ChainedRecord, 'hash' | 'prevHash'>;

/**
 * JSON with object keys sorted at every level and undefined members dropped: the same value always gives the
 * same text, whichever order its keys were built in (PostgreSQL's jsonb reorders them anyway).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value))
    return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
    return canonicalJson((value as { toJSON(): unknown }).toJSON());
  const members = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${members.join(',')}}`;
}

/** A record's canonical serialization without the two values the append assigns (seq and loggedAt). */
export interface CanonicalParts {
  /** The JSON array members from event to occurredAt, comma-separated, without brackets. */
  beforeLoggedAt: string;
  /** The JSON array members from contentType to detail, comma-separated, without brackets. */
  afterLoggedAt: string;
}

/** The text that starts every canonical serialization: `[` and the version tag. */
export const CANONICAL_PREFIX = `[${JSON.stringify(CANONICAL_VERSION)},`;

export function canonicalParts(record: Omit<HashedFields, 'seq' | 'loggedAt'>): CanonicalParts {
  const before = JSON.stringify([
    record.event,
    record.messageId,
    record.correlationId,
    record.direction,
    record.client,
    record.service,
    record.messageType,
    record.schemaVersion,
    record.occurredAt,
  ]);
  const after = JSON.stringify([
    record.contentType,
    record.payload,
    record.payloadKeyId,
    record.inReplyTo,
    record.signatureFormat,
    record.signatureValue,
    record.signerCertificate,
    record.signatureVerification,
    record.detail === null ? null : canonicalJson(record.detail),
  ]);
  return { beforeLoggedAt: before.slice(1, -1), afterLoggedAt: after.slice(1, -1) };
}

/**
 * The canonical serialization from its parts. The message log's append builds the same text in SQL (the database
 * assigns seq and loggedAt and chains the batch in the statement that inserts it): prefix, `"seq",`, the part before,
 * `,"loggedAt",`, the part after, `]`. seq is digits and loggedAt an ISO-8601 UTC timestamp, so neither needs escaping.
 */
export function composeCanonical(seq: number, loggedAt: string, parts: CanonicalParts): string {
  return `${CANONICAL_PREFIX}${JSON.stringify(String(seq))},${parts.beforeLoggedAt},${JSON.stringify(loggedAt)},${parts.afterLoggedAt}]`;
}

/**
 * The canonical serialization of a record: a JSON array of its fields in a fixed order, absent values as null,
 * seq as a decimal string, timestamps as ISO-8601 with milliseconds, detail as canonical JSON text.
 * Positional (not keyed) so that a field can never be moved into another one unnoticed.
 */
export function canonicalRecord(record: HashedFields): string {
  return composeCanonical(record.seq, record.loggedAt, canonicalParts(record));
}

/** hash = SHA-256(prev_hash (32 raw bytes) || UTF-8 of the canonical serialization), hex. */
export function recordHash(prevHash: string, record: HashedFields): string {
  return createHash('sha256')
    .update(Buffer.from(prevHash, 'hex'))
    .update(canonicalRecord(record), 'utf8')
    .digest('hex');
}

/** Chains fields onto `prevHash`. */
export function chainRecord(prevHash: string, record: HashedFields): ChainedRecord {
  return { ...record, prevHash, hash: recordHash(prevHash, record) };
}

export function isHash(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}
