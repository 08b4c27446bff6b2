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

/**
 * The canonical serialization of a record: a JSON array of its fields in a fixed order, absent values as null,
 * seq as a decimal string, timestamps as ISO-8601 with milliseconds, detail as canonical JSON text.
 * Positional (not keyed) so that a field can never be moved into another one unnoticed.
 */
export function canonicalRecord(record: HashedFields): string {
  return JSON.stringify([
    CANONICAL_VERSION,
    String(record.seq),
    record.event,
    record.messageId,
    record.correlationId,
    record.direction,
    record.client,
    record.service,
    record.messageType,
    record.schemaVersion,
    record.occurredAt,
    record.loggedAt,
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
