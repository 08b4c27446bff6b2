import { Database, SqlExecutor } from '@korpu/store';
import { ChainPosition } from './chain/chain-walker';
import { CANONICAL_PREFIX, canonicalParts, HashedFields } from './chain/record-hash';
import type { ChainedRecord, LogQuery } from './log-record';

/** A record ready to be chained: everything but seq and loggedAt, which the append statement assigns. */
export type PreparedRecord = Omit<HashedFields, 'seq' | 'loggedAt'>;

/** A row of message_log_archives. */
export interface ArchiveRow {
  id: number;
  firstSeq: number;
  lastSeq: number;
  recordCount: number;
  firstPrevHash: string;
  lastHash: string;
  fileName: string;
  fileSha256: string;
  /** The exact signed text of the manifest. */
  manifest: string;
  signatureAlgorithm: string;
  signature: string;
  signerCertificate: string;
  archivedAt: string;
}

export type NewArchiveRow = Omit<ArchiveRow, 'id' | 'archivedAt'>;

interface RecordRow {
  seq: string;
  event: string;
  message_id: string;
  correlation_id: string;
  direction: string;
  client: string;
  service: string;
  message_type: string;
  schema_version: string;
  occurred_at: Date | string;
  logged_at: Date | string;
  content_type: string | null;
  payload: string | null;
  payload_key_id: string | null;
  in_reply_to: string | null;
  signature_format: string | null;
  signature_value: string | null;
  signer_certificate: string | null;
  signature_verification: string | null;
  detail: Record<string, unknown> | string | null;
  prev_hash: string;
  hash: string;
}

interface ArchiveDbRow {
  id: string;
  first_seq: string;
  last_seq: string;
  record_count: string;
  first_prev_hash: string;
  last_hash: string;
  file_name: string;
  file_sha256: string;
  manifest: string;
  signature_algorithm: string;
  signature: string;
  signer_certificate: string;
  archived_at: Date | string;
}

const COLUMNS = [
  'seq',
  'event',
  'message_id',
  'correlation_id',
  'direction',
  'client',
  'service',
  'message_type',
  'schema_version',
  'occurred_at',
  'logged_at',
  'content_type',
  'payload',
  'payload_key_id',
  'in_reply_to',
  'signature_format',
  'signature_value',
  'signer_certificate',
  'signature_verification',
  'detail',
  'prev_hash',
  'hash',
] as const;
const SELECT_COLUMNS = COLUMNS.join(', ');

/** The columns a record brings to the append (the statement assigns seq, logged_at, prev_hash and hash). */
const ASSIGNED = new Set<string>(['seq', 'logged_at', 'prev_hash', 'hash']);
const RECORD_COLUMNS = COLUMNS.filter((column) => !ASSIGNED.has(column));
/** Each of those columns' field in a record (message_id → messageId), worked out once, not per record. */
const RECORD_FIELDS = RECORD_COLUMNS.map((column) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof PreparedRecord);
/** The per-record arrays of the append statement ($2..), in unnest order: the record's columns, then its canonical parts. */
const APPEND_INPUT = [...RECORD_COLUMNS, 'before_logged', 'after_logged'];
/** What the INSERT takes for each column: the statement's own values, or the input's (cast where not text). */
const CAST: Record<string, string> = { occurred_at: '::timestamptz', detail: '::jsonb' };
const FROM_STATEMENT: Record<string, string> = { seq: 'c.seq', logged_at: 's.logged_at', prev_hash: 'c.prev_hash', hash: 'c.hash' };
const INSERTED_VALUES = COLUMNS.map((column) => FROM_STATEMENT[column] ?? `i.${column}${CAST[column] ?? ''}`).join(', ');

/** SHA-256 over the previous hash's bytes and the canonical text of record `i` at `seq` (see composeCanonical). */
const chainHash = (prev: string, seq: string) =>
  `encode(sha256(decode(${prev}, 'hex') || convert_to($1 || '"' || ${seq} || '",' || i.before_logged || ',"' || s.logged_text || '",' || i.after_logged || ']', 'UTF8')), 'hex')`;

const APPEND_SQL = `WITH RECURSIVE
  i AS MATERIALIZED (
    SELECT * FROM unnest(${APPEND_INPUT.map((_, k) => `$${k + 2}::text[]`).join(', ')}) WITH ORDINALITY AS t(${APPEND_INPUT.join(', ')}, n)
  ),
  head AS MATERIALIZED (
    SELECT seq, hash, date_trunc('milliseconds', clock_timestamp()) AS logged_at FROM message_log_head WHERE id LIMIT 1 FOR UPDATE
  ),
  s AS MATERIALIZED (
    SELECT seq, hash, logged_at, to_char(logged_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS logged_text FROM head
  ),
  chain (n, seq, prev_hash, hash) AS (
    SELECT i.n, s.seq + 1, s.hash, ${chainHash('s.hash', '(s.seq + 1)')} FROM s JOIN i ON i.n = 1
    UNION ALL
    SELECT i.n, c.seq + 1, c.hash, ${chainHash('c.hash', '(c.seq + 1)')} FROM chain c JOIN i ON i.n = c.n + 1 CROSS JOIN s
  ),
  inserted AS (
    INSERT INTO message_log (${SELECT_COLUMNS})
    SELECT ${INSERTED_VALUES}
      FROM chain c JOIN i ON i.n = c.n CROSS JOIN s
  ),
  moved AS (
    UPDATE message_log_head h SET seq = last.seq, hash = last.hash
      FROM (SELECT seq, hash FROM chain ORDER BY n DESC LIMIT 1) last WHERE h.id
  )
SELECT c.seq, c.prev_hash, c.hash, s.logged_text AS logged_at FROM chain c CROSS JOIN s ORDER BY c.n`;

// Key of the transaction-level advisory lock held by archivers ('Korp', 'mlar').
const ARCHIVE_LOCK: [number, number] = [0x4b6f7270, 0x6d6c6172];

const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();

function toRecord(row: RecordRow): ChainedRecord {
  return {
    seq: Number(row.seq),
    event: row.event,
    messageId: row.message_id,
    correlationId: row.correlation_id,
    direction: row.direction,
    client: row.client,
    service: row.service,
    messageType: row.message_type,
    schemaVersion: row.schema_version,
    occurredAt: iso(row.occurred_at),
    loggedAt: iso(row.logged_at),
    contentType: row.content_type,
    payload: row.payload,
    payloadKeyId: row.payload_key_id,
    inReplyTo: row.in_reply_to,
    signatureFormat: row.signature_format,
    signatureValue: row.signature_value,
    signerCertificate: row.signer_certificate,
    signatureVerification: row.signature_verification,
    detail: typeof row.detail === 'string' ? (JSON.parse(row.detail) as Record<string, unknown>) : row.detail,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function toArchive(row: ArchiveDbRow): ArchiveRow {
  return {
    id: Number(row.id),
    firstSeq: Number(row.first_seq),
    lastSeq: Number(row.last_seq),
    recordCount: Number(row.record_count),
    firstPrevHash: row.first_prev_hash,
    lastHash: row.last_hash,
    fileName: row.file_name,
    fileSha256: row.file_sha256,
    manifest: row.manifest,
    signatureAlgorithm: row.signature_algorithm,
    signature: row.signature,
    signerCertificate: row.signer_certificate,
    archivedAt: iso(row.archived_at),
  };
}

/**
 * The message log tables in PostgreSQL: message_log (chained records), message_log_head (the single chain head
 * row every append locks) and message_log_archives. No business rules beyond how a batch is chained in SQL.
 */
export class MessageLogRepository {
  constructor(private readonly db: Database) {}

  /**
   * Appends records in one statement, one round trip. The statement locks the head row (`SELECT ... FOR UPDATE`,
   * which in READ COMMITTED waits for a concurrent appender's commit and then reads the head it left), takes the
   * database's clock once for the batch's loggedAt, chains the records in SQL (a recursive CTE: hash = SHA-256 of the
   * previous hash's 32 bytes and the canonical text, built from the parts this process serialized, see
   * `composeCanonical`), inserts them and moves the head. Appenders in every instance are serialised by that row
   * lock, held only while the statement runs: no round trip of the network inside it, unlike the four-statement
   * transaction it replaces (BEGIN, UPDATE head, INSERT, COMMIT with the lock across two round trips).
   * Verification re-hashes each record in Node (`recordHash`): any difference between the two builds breaks the chain.
   */
  async appendBatch(prepared: readonly PreparedRecord[]): Promise<ChainedRecord[]> {
    if (prepared.length === 0) return [];
    const columns: unknown[][] = APPEND_INPUT.map(() => new Array<unknown>(prepared.length));
    prepared.forEach((record, i) => {
      const parts = canonicalParts(record);
      const row = [
        ...RECORD_FIELDS.map((field) => (field === 'detail' ? (record.detail === null ? null : JSON.stringify(record.detail)) : record[field])),
        parts.beforeLoggedAt,
        parts.afterLoggedAt,
      ];
      row.forEach((value, c) => (columns[c][i] = value));
    });
    const { rows } = await this.db.query<{ seq: string; prev_hash: string; hash: string; logged_at: string }>(APPEND_SQL, [CANONICAL_PREFIX, ...columns], {
      prepare: true,
    });
    if (rows.length !== prepared.length) throw new Error('message_log_head has no row: are the message-log migrations applied?');
    return rows.map((row, i) => ({ ...prepared[i], seq: Number(row.seq), loggedAt: row.logged_at, prevHash: row.prev_hash, hash: row.hash }));
  }

  async read(query: LogQuery): Promise<ChainedRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown): void => {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (query.messageId !== undefined) add('message_id = ?', query.messageId);
    if (query.correlationId !== undefined) add('correlation_id = ?', query.correlationId);
    if (query.event !== undefined) add('event = ?', query.event);
    if (query.fromSeq !== undefined) add('seq >= ?', query.fromSeq);
    if (query.since !== undefined) add('logged_at >= ?', query.since);
    if (query.until !== undefined) add('logged_at < ?', query.until);
    params.push(Math.min(Math.max(query.limit ?? 100, 1), 1000));
    const { rows } = await this.db.query<RecordRow>(
      `SELECT ${SELECT_COLUMNS} FROM message_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY seq LIMIT $${params.length}`,
      params,
    );
    return rows.map(toRecord);
  }

  /** Records with afterSeq < seq <= toSeq in seq order, at most `limit`. */
  async page(
    afterSeq: number,
    toSeq: number,
    limit: number,
    executor: SqlExecutor = this.db,
  ): Promise<ChainedRecord[]> {
    const { rows } = await executor.query<RecordRow>(
      `SELECT ${SELECT_COLUMNS} FROM message_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`,
      [afterSeq, toSeq, limit],
    );
    return rows.map(toRecord);
  }

  async head(executor: SqlExecutor = this.db): Promise<ChainPosition> {
    const { rows } = await executor.query<{ seq: string; hash: string }>(
      `SELECT seq, hash FROM message_log_head WHERE id`,
    );
    if (!rows[0]) throw new Error('message_log_head has no row: are the message-log migrations applied?');
    return { seq: Number(rows[0].seq), hash: rows[0].hash };
  }

  async archives(executor: SqlExecutor = this.db): Promise<ArchiveRow[]> {
    const { rows } = await executor.query<ArchiveDbRow>(`SELECT * FROM message_log_archives ORDER BY first_seq`);
    return rows.map(toArchive);
  }

  async latestArchive(executor: SqlExecutor = this.db): Promise<ArchiveRow | undefined> {
    const { rows } = await executor.query<ArchiveDbRow>(
      `SELECT * FROM message_log_archives ORDER BY last_seq DESC LIMIT 1`,
    );
    return rows[0] ? toArchive(rows[0]) : undefined;
  }

  /**
   * The last seq of the longest run of records, from the oldest one in the table, logged before `before`
   * (0 when the oldest record is not that old or the table is empty).
   */
  async lastSeqLoggedBefore(before: Date): Promise<number> {
    const { rows } = await this.db.query<{ last: string | null }>(
      `SELECT COALESCE((SELECT min(seq) - 1 FROM message_log WHERE logged_at >= $1), (SELECT max(seq) FROM message_log), 0) AS last`,
      [before.toISOString()],
    );
    return Number(rows[0]?.last ?? 0);
  }

  /** Runs `fn` in a transaction that sees one snapshot of all tables (REPEATABLE READ, read only). */
  async snapshot<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      return fn(tx);
    });
  }

  /**
   * Deletes records firstSeq..lastSeq and records the archive that now holds them, in one transaction.
   * Refuses (returns a reason, changes nothing) when another archive was recorded meanwhile, or when the
   * records to delete are not exactly those archived (count, first/last hash).
   */
  async recordArchive(
    archive: NewArchiveRow,
    previousLastSeq: number,
  ): Promise<{ ok: true; id: number } | { ok: false; reason: string }> {
    return this.db
      .transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1, $2)', ARCHIVE_LOCK);
        const latest = await this.latestArchive(tx);
        if ((latest?.lastSeq ?? 0) !== previousLastSeq) {
          return {
            ok: false as const,
            reason: `another archive (up to seq ${latest?.lastSeq}) was recorded meanwhile`,
          };
        }
        const ends = await tx.query<{ seq: string; prev_hash: string; hash: string }>(
          `SELECT seq, prev_hash, hash FROM message_log WHERE seq IN ($1, $2) ORDER BY seq FOR UPDATE`,
          [archive.firstSeq, archive.lastSeq],
        );
        const first = ends.rows[0];
        const last = ends.rows[ends.rows.length - 1];
        if (!first || !last || Number(first.seq) !== archive.firstSeq || Number(last.seq) !== archive.lastSeq) {
          return {
            ok: false as const,
            reason: `records ${archive.firstSeq} and ${archive.lastSeq} are no longer both in the table`,
          };
        }
        if (first.prev_hash !== archive.firstPrevHash || last.hash !== archive.lastHash) {
          return { ok: false as const, reason: 'the first or last record changed after it was archived' };
        }
        const deleted = await tx.query(`DELETE FROM message_log WHERE seq BETWEEN $1 AND $2`, [
          archive.firstSeq,
          archive.lastSeq,
        ]);
        if (deleted.rowCount !== archive.recordCount) {
          throw new ArchiveRollback(
            `${deleted.rowCount} records in ${archive.firstSeq}..${archive.lastSeq}, ${archive.recordCount} archived`,
          );
        }
        const inserted = await tx.query<{ id: string }>(
          `INSERT INTO message_log_archives (first_seq, last_seq, record_count, first_prev_hash, last_hash, file_name, file_sha256,
                                           manifest, signature_algorithm, signature, signer_certificate)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
          [
            archive.firstSeq,
            archive.lastSeq,
            archive.recordCount,
            archive.firstPrevHash,
            archive.lastHash,
            archive.fileName,
            archive.fileSha256,
            archive.manifest,
            archive.signatureAlgorithm,
            archive.signature,
            archive.signerCertificate,
          ],
        );
        return { ok: true as const, id: Number(inserted.rows[0].id) };
      })
      .catch((error: unknown) => {
        if (error instanceof ArchiveRollback) return { ok: false as const, reason: error.message };
        throw error;
      });
  }
}

/** Thrown inside recordArchive's transaction to roll the delete back. */
class ArchiveRollback extends Error {}
