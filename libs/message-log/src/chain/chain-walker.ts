import type { ChainedRecord } from '../log-record';
import { GENESIS_HASH, recordHash } from './record-hash';

/** Why a record breaks the chain. */
export type ChainBreakReason =
  /** seq does not follow the previous record's: records in between were deleted (or seqs rewritten). */
  | 'missing-records'
  /** prev_hash is not the previous record's hash: the previous record (or its hash) was rewritten, or this one moved. */
  | 'prev-hash-mismatch'
  /** The stored hash is not the hash of the stored fields: a field of this record was changed. */
  | 'hash-mismatch'
  /** The chain head (last seq + hash recorded at each append) does not match the last record: records were removed from the end, or the head was rewritten. */
  | 'head-mismatch'
  /** A recorded archive's signed manifest does not verify, or the archives do not continue each other. */
  | 'archive-invalid';

/** The first record where verification failed. For `head-mismatch`, seq/messageId are the last record seen (if any). */
export interface ChainBreak {
  reason: ChainBreakReason;
  seq: number;
  messageId?: string;
  expected: string;
  actual: string;
  message: string;
}

/** Where a chain segment starts: the seq and hash of the record before it (seq 0 and GENESIS_HASH for the log's start). */
export interface ChainPosition {
  seq: number;
  hash: string;
}

export const CHAIN_START: ChainPosition = Object.freeze({ seq: 0, hash: GENESIS_HASH });

/** What any hash-chained record has (the message log's, the operators' audit trail's). */
export interface ChainLink {
  seq: number;
  prevHash: string;
  hash: string;
  messageId?: string;
}

/**
 * Walks records in seq order from a known position and stops at the first one that breaks the chain.
 * Streaming: feed pages of records with next(); keeps only the last position. `hashOf` computes a record's hash
 * from its prev_hash and fields: the message log's `recordHash` by default; another chain gives its own.
 */
export class ChainWalker<R extends ChainLink = ChainedRecord> {
  private position: ChainPosition;
  private lastMessageId?: string;
  private checked = 0;
  private broken?: ChainBreak;

  constructor(
    start: ChainPosition = CHAIN_START,
    private readonly hashOf: (record: R) => string = (record) => recordHash(record.prevHash, record as unknown as ChainedRecord),
  ) {
    this.position = { ...start };
  }

  /** Checks one record; returns the break (and keeps returning it) once the chain is broken. */
  next(record: R): ChainBreak | undefined {
    if (this.broken) return this.broken;
    const expectedSeq = this.position.seq + 1;
    const at = { seq: record.seq, messageId: record.messageId };
    if (record.seq !== expectedSeq) {
      return this.fail({
        ...at,
        reason: 'missing-records',
        expected: String(expectedSeq),
        actual: String(record.seq),
        message:
          record.seq > expectedSeq
            ? `records ${expectedSeq}..${record.seq - 1} are missing before seq ${record.seq}`
            : `seq ${record.seq} follows seq ${this.position.seq} (out of order or duplicated)`,
      });
    }
    if (record.prevHash !== this.position.hash) {
      return this.fail({
        ...at,
        reason: 'prev-hash-mismatch',
        expected: this.position.hash,
        actual: record.prevHash,
        message: `prev_hash of seq ${record.seq} is not the hash of seq ${this.position.seq} (that record or its hash was rewritten, or this record was moved)`,
      });
    }
    const computed = this.hashOf(record);
    if (computed !== record.hash) {
      return this.fail({
        ...at,
        reason: 'hash-mismatch',
        expected: computed,
        actual: record.hash,
        message: `the fields of seq ${record.seq} do not match its hash (the record was changed)`,
      });
    }
    this.position = { seq: record.seq, hash: record.hash };
    this.lastMessageId = record.messageId;
    this.checked++;
    return undefined;
  }

  /** Compares the last record seen with the recorded chain head (the log's last seq and hash). */
  end(head: ChainPosition): ChainBreak | undefined {
    if (this.broken) return this.broken;
    if (head.seq === this.position.seq && head.hash === this.position.hash) return undefined;
    return this.fail({
      reason: 'head-mismatch',
      seq: this.position.seq,
      messageId: this.lastMessageId,
      expected: `${head.seq}:${head.hash}`,
      actual: `${this.position.seq}:${this.position.hash}`,
      message:
        head.seq > this.position.seq
          ? `the chain head is at seq ${head.seq} but the last record is seq ${this.position.seq}: records ${this.position.seq + 1}..${head.seq} are missing`
          : `the chain head (seq ${head.seq}) does not match the last record (seq ${this.position.seq})`,
    });
  }

  /** The last record that verified (or the start position). */
  get last(): ChainPosition {
    return { ...this.position };
  }

  get count(): number {
    return this.checked;
  }

  get firstBreak(): ChainBreak | undefined {
    return this.broken;
  }

  private fail(chainBreak: ChainBreak): ChainBreak {
    this.broken = chainBreak;
    return chainBreak;
  }
}

/** Verifies an array of records (in seq order) from `start`, optionally against the chain head. */
export function verifyChain(
  records: Iterable<ChainedRecord>,
  start: ChainPosition = CHAIN_START,
  head?: ChainPosition,
): { ok: true; count: number; last: ChainPosition } | { ok: false; count: number; break: ChainBreak } {
  const walker = new ChainWalker(start);
  for (const record of records) {
    const broken = walker.next(record);
    if (broken) return { ok: false, count: walker.count, break: broken };
  }
  const broken = head ? walker.end(head) : undefined;
  if (broken) return { ok: false, count: walker.count, break: broken };
  return { ok: true, count: walker.count, last: walker.last };
}
