import { Injectable } from '@nestjs/common';
import { Database } from '@korpu/store';
import {
  ExchangeDirection,
  ExchangeHops,
  OperationalRecord,
  OperationalRecordCursor,
  OperationalRecordFilter,
  OperationalResult,
} from './operational-record';
import { exchangeDurations } from './build-operational-record/operational-record.builder';

/** The storage port of operational records: the recorder writes batches, the admin API reads pages, retention purges. */
export abstract class OperationalRecordStore {
  abstract insertBatch(records: readonly OperationalRecord[]): Promise<void>;
  /** Up to `limit` records, newest exchange first, strictly after `after`. */
  abstract list(filter: OperationalRecordFilter, limit: number, after?: OperationalRecordCursor): Promise<OperationalRecord[]>;
  /** Deletes up to `limit` records whose exchange began before `before`; how many it deleted. */
  abstract purgeOlderThan(before: Date, limit: number): Promise<number>;
  /** Per partner, the records whose exchange began at or after `from`: in buckets of `bucketMs`, and in all. */
  abstract summarize(from: Date, bucketMs: number, partner?: string): Promise<{ buckets: ExchangeBucketRow[]; totals: ExchangeBucketRow[] }>;
}

/** Figures of one partner's exchanges in one bucket (`at`: its start) or the whole window (`at`: the window's start). */
export interface ExchangeBucketRow {
  partner: string;
  at: string;
  exchanges: number;
  errors: number;
  deadLettered: number;
  refused: number;
  p99Ms?: number;
}

interface BucketRow {
  partner: string;
  at: Date | string;
  exchanges: string | number;
  errors: string | number;
  dead_lettered: string | number;
  refused: string | number;
  p99_ms: number | null;
}

const bucketRow = (row: BucketRow): ExchangeBucketRow => ({
  partner: row.partner,
  at: (row.at instanceof Date ? row.at : new Date(row.at)).toISOString(),
  exchanges: Number(row.exchanges),
  errors: Number(row.errors),
  deadLettered: Number(row.dead_lettered),
  refused: Number(row.refused),
  ...(row.p99_ms === null ? {} : { p99Ms: Math.round(Number(row.p99_ms)) }),
});

const COLUMNS = [
  'id', 'direction', 'client', 'service', 'partner', 'operation', 'message_id', 'correlation_id', 'reply_message_id',
  'message_type', 'attempt', 'request_size', 'response_size', 'request_in_at', 'request_queued_at', 'request_picked_at',
  'request_out_at', 'response_in_at', 'response_out_at', 'total_ms', 'partner_ms', 'result', 'error_code',
  'signer_subject', 'signer_serial', 'signer_issuer', 'app', 'instance_id',
] as const;

interface RecordRow {
  id: string;
  direction: ExchangeDirection;
  client: string;
  service: string;
  partner: string;
  operation: string;
  message_id: string;
  correlation_id: string;
  reply_message_id: string | null;
  message_type: string | null;
  attempt: number;
  request_size: number;
  response_size: number | null;
  request_in_at: Date;
  request_queued_at: Date | null;
  request_picked_at: Date | null;
  request_out_at: Date | null;
  response_in_at: Date | null;
  response_out_at: Date | null;
  result: OperationalResult;
  error_code: string | null;
  signer_subject: string | null;
  signer_serial: string | null;
  signer_issuer: string | null;
  app: string;
  instance_id: string;
  recorded_at: Date;
}

function values(record: OperationalRecord): unknown[] {
  const { hops, durations } = record;
  return [
    record.id, record.direction, record.client, record.service, record.partner, record.operation, record.messageId,
    record.correlationId, record.replyMessageId ?? null, record.messageType ?? null, record.attempt, record.requestSize,
    record.responseSize ?? null, hops.requestInAt, hops.requestQueuedAt ?? null, hops.requestPickedAt ?? null,
    hops.requestOutAt ?? null, hops.responseInAt ?? null, hops.responseOutAt ?? null, durations.totalMs ?? null,
    durations.partnerMs ?? null, record.result, record.errorCode ?? null, record.signer?.subject ?? null,
    record.signer?.serialNumber ?? null, record.signer?.issuer ?? null, record.app, record.instanceId,
  ];
}

const iso = (value: Date | null): string | undefined => (value === null ? undefined : new Date(value).toISOString());

function fromRow(row: RecordRow): OperationalRecord {
  const hops = Object.fromEntries(
    Object.entries({
      requestInAt: iso(row.request_in_at),
      requestQueuedAt: iso(row.request_queued_at),
      requestPickedAt: iso(row.request_picked_at),
      requestOutAt: iso(row.request_out_at),
      responseInAt: iso(row.response_in_at),
      responseOutAt: iso(row.response_out_at),
    }).filter(([, at]) => at !== undefined),
  ) as unknown as ExchangeHops;
  return {
    id: row.id,
    direction: row.direction,
    client: row.client,
    service: row.service,
    partner: row.partner,
    operation: row.operation,
    messageId: row.message_id,
    correlationId: row.correlation_id,
    ...(row.reply_message_id ? { replyMessageId: row.reply_message_id } : {}),
    ...(row.message_type ? { messageType: row.message_type } : {}),
    attempt: row.attempt,
    requestSize: row.request_size,
    ...(row.response_size === null ? {} : { responseSize: row.response_size }),
    hops,
    durations: exchangeDurations(hops),
    result: row.result,
    ...(row.error_code ? { errorCode: row.error_code } : {}),
    ...(row.signer_subject ? { signer: { subject: row.signer_subject, serialNumber: row.signer_serial ?? '', issuer: row.signer_issuer ?? '' } } : {}),
    app: row.app,
    instanceId: row.instance_id,
    recordedAt: new Date(row.recorded_at).toISOString(),
  };
}

/**
 * Operational records in PostgreSQL (table operational_records). A batch is one multi-row INSERT (one round
 * trip); an id written twice (a retried batch) is kept once. Pages are keyset on (request_in_at, id), newest first.
 */
@Injectable()
export class PgOperationalRecordStore extends OperationalRecordStore {
  constructor(private readonly db: Database) {
    super();
  }

  async insertBatch(records: readonly OperationalRecord[]): Promise<void> {
    if (records.length === 0) return;
    const params: unknown[] = [];
    const tuples = records.map((record) => {
      const row = values(record);
      const placeholders = row.map((value) => {
        params.push(value);
        return `$${params.length}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    await this.db.query(
      `INSERT INTO operational_records (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (id) DO NOTHING`,
      params,
    );
  }

  async list(filter: OperationalRecordFilter, limit: number, after?: OperationalRecordCursor): Promise<OperationalRecord[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (sql: (placeholder: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.client !== undefined) add((p) => `client = ${p}`, filter.client);
    if (filter.service !== undefined) add((p) => `service = ${p}`, filter.service);
    if (filter.partner !== undefined) add((p) => `partner = ${p}`, filter.partner);
    if (filter.direction !== undefined) add((p) => `direction = ${p}`, filter.direction);
    if (filter.result?.length) add((p) => `result = ANY(${p}::text[])`, filter.result);
    if (filter.errorCode !== undefined) add((p) => `error_code = ${p}`, filter.errorCode);
    if (filter.messageId !== undefined) add((p) => `message_id = ${p}`, filter.messageId);
    if (filter.correlationId !== undefined) add((p) => `correlation_id = ${p}`, filter.correlationId);
    if (filter.from !== undefined) add((p) => `request_in_at >= ${p}`, filter.from.toISOString());
    if (filter.to !== undefined) add((p) => `request_in_at < ${p}`, filter.to.toISOString());
    if (after) {
      params.push(after.requestInAt, after.id);
      where.push(`(request_in_at, id) < ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    params.push(limit);
    const { rows } = await this.db.query<RecordRow>(
      `SELECT ${COLUMNS.join(', ')}, recorded_at FROM operational_records
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY request_in_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(fromRow);
  }

  async purgeOlderThan(before: Date, limit: number): Promise<number> {
    const result = await this.db.query(
      `DELETE FROM operational_records WHERE id IN (
         SELECT id FROM operational_records WHERE request_in_at < $1 ORDER BY request_in_at LIMIT $2
       )`,
      [before.toISOString(), limit],
    );
    return result.rowCount;
  }

  async summarize(from: Date, bucketMs: number, partner?: string): Promise<{ buckets: ExchangeBucketRow[]; totals: ExchangeBucketRow[] }> {
    // GROUPING SETS: the buckets and each partner's whole window in one pass over the window's rows (page index).
    const { rows } = await this.db.query<BucketRow & { whole: boolean }>(
      `SELECT partner,
              GROUPING(bucket) = 1 AS whole,
              COALESCE(bucket, $1::timestamptz) AS at,
              count(*) AS exchanges,
              count(*) FILTER (WHERE result IN ('failed', 'dead-lettered')) AS errors,
              count(*) FILTER (WHERE result = 'dead-lettered') AS dead_lettered,
              count(*) FILTER (WHERE result = 'refused') AS refused,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY total_ms) AS p99_ms
         FROM (SELECT partner, result, total_ms,
                      to_timestamp(floor(extract(epoch FROM request_in_at) * 1000 / $2) * $2 / 1000) AS bucket
                 FROM operational_records
                WHERE request_in_at >= $1 AND ($3::text IS NULL OR partner = $3)) AS windowed
        GROUP BY GROUPING SETS ((partner, bucket), (partner))
        ORDER BY partner, at`,
      [from.toISOString(), bucketMs, partner ?? null],
    );
    return {
      buckets: rows.filter((row) => !row.whole).map(bucketRow),
      totals: rows.filter((row) => row.whole).map(bucketRow),
    };
  }
}
