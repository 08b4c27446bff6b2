import { createHash } from 'node:crypto';
import { canonicalJson } from '@korpu/message-log';
import type { AuditEntry } from './audit-entry';

/** Version tag, first element of every canonical serialization: changing the layout means a new tag. */
export const AUDIT_CANONICAL_VERSION = 'korpu-audit-trail/1';

export type HashedAuditFields = Omit<AuditEntry, 'id' | 'hash' | 'prevHash'>;

/** Positional JSON of every field but the hashes (so a value cannot move to another field unnoticed). */
export function canonicalAuditRecord(record: HashedAuditFields): string {
  return JSON.stringify([
    AUDIT_CANONICAL_VERSION,
    String(record.seq),
    record.at,
    record.operator,
    record.action,
    canonicalJson(record.messageIds),
    record.reason,
    record.before === undefined || record.before === null ? null : canonicalJson(record.before),
    record.after === undefined || record.after === null ? null : canonicalJson(record.after),
    record.beforeHash,
    record.afterHash,
    canonicalJson(record.detail),
  ]);
}

/** hash = SHA-256(prev_hash (32 raw bytes) || UTF-8 of the canonical serialization), hex — as the message log's. */
export function auditRecordHash(prevHash: string, record: HashedAuditFields): string {
  return createHash('sha256').update(Buffer.from(prevHash, 'hex')).update(canonicalAuditRecord(record), 'utf8').digest('hex');
}
