import { Injectable } from '@nestjs/common';
import { DataKeys, SealedColumn } from '@korpu/crypto-at-rest';
import { Envelope, serviceId } from '@korpu/envelope';
import { Database, SqlExecutor, StatementBatcher, jsonParam } from '@korpu/store';
import { MessageEvent, MessageRecord, MessageStatus, STATUS_RANK } from './message-status';

/** The batched writes of the hot path: fixed text, planned once per connection (QueryOptions.prepare). */
const PREPARED = { prepare: true } as const;

interface MessageRow {
  message_id: string;
  correlation_id: string;
  client: string;
  service: string;
  message_type: string;
  schema_version: string;
  direction: string;
  status: MessageStatus;
  created_at: Date | string;
  updated_at: Date | string;
  attempts: number;
  reply_message_id: string | null;
  reply_type: string | null;
  reply_version: string | null;
  reply_content_type: string | null;
  reply_payload: string | null;
  error_code: string | null;
  error_message: string | null;
}

/** The columns of a MessageRow, named (not `m.*`): the delivery read is a prepared statement (QueryOptions). */
const MESSAGE_COLUMNS: ReadonlyArray<keyof MessageRow> = [
  'message_id', 'correlation_id', 'client', 'service', 'message_type', 'schema_version', 'direction', 'status', 'created_at',
  'updated_at', 'attempts', 'reply_message_id', 'reply_type', 'reply_version', 'reply_content_type', 'reply_payload', 'error_code',
  'error_message',
];
/**
 * The delivery read (findForDelivery), for many messages at once; its comment at findForDeliveryBatch says why each
 * message is looked up in a LATERAL subquery and why the earlier-pending test names pending_retry.
 */
const DELIVERY_READ = `SELECT i.message_id AS wanted, ${MESSAGE_COLUMNS.map((column) => `m.${column}`).join(', ')}, EXISTS (
            SELECT 1 FROM messages p
             WHERE p.correlation_id = i.correlation_id AND p.client = i.client AND split_part(p.service, '/', 1) = i.partner
               AND p.pending_retry AND p.message_id <> i.message_id AND (p.created_at, p.message_id) < (i.created_at, i.message_id)
          ) AS earlier_pending
     FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[]) AS i(message_id, correlation_id, created_at, client, partner)
     LEFT JOIN LATERAL (SELECT ${MESSAGE_COLUMNS.join(', ')} FROM messages WHERE messages.message_id = i.message_id LIMIT 1) m ON true`;

const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();

/** $1..$10 of an INSERT INTO messages (message_id, correlation_id, client, service, message_type, schema_version, direction, status, status_rank, created_at). */
function rowValues(envelope: Envelope, status: MessageStatus): unknown[] {
  return [
    envelope.messageId,
    envelope.correlationId,
    envelope.client,
    serviceId(envelope.service),
    envelope.messageType,
    envelope.schemaVersion,
    envelope.direction,
    status,
    STATUS_RANK[status],
    envelope.createdAt,
  ];
}

/** A status change waiting to be written with the others that arrived meanwhile (MessageStatusRepository.record). */
interface StatusChange {
  envelope: Envelope;
  status: MessageStatus;
  detail?: Record<string, unknown>;
}

/** What delivery reads first (MessageStatusRepository.findForDelivery). */
export interface DeliveryView {
  current: Omit<MessageRecord, 'history'> | undefined;
  earlierPending: boolean;
}

/** Most status changes written in one statement. */
const MAX_STATUS_BATCH = 200;

/** The rows of a batch as one array per column, for `unnest($1::text[], $2::…[], …)` (a batch is never empty). */
function columnsOf(rows: unknown[][]): unknown[][] {
  return rows[0].map((_, column) => rows.map((row) => row[column]));
}

/** How long a holder's last sign of life protects its claims (it says so every few seconds). */
export const DEFAULT_HOLDER_ALIVE_SECONDS = 15;

/** Where partner replies are kept; bound into each encrypted reply so it cannot be moved to another column. */
export const REPLY_PAYLOAD_PURPOSE = 'korpu/messages.reply_payload/1';

/**
 * Statuses and history of messages in PostgreSQL. Every writer upserts, so whichever app sees a message first creates
 * its row. Reply payloads (personal data) are encrypted at rest with the data keys, bound to the request's id.
 */
@Injectable()
export class MessageStatusRepository {
  private readonly replies: SealedColumn;
  /** Concurrent status changes share a statement (one round trip and one commit for all of them); every batcher here
   * gathers the writes of one event-loop turn (gatherTurn: 7.9–9.2 writes per statement under submit load instead of 4.7–5.8). */
  private readonly changes = new StatementBatcher<StatusChange, boolean>((batch) => this.recordBatch(batch), {
    maxBatch: MAX_STATUS_BATCH,
    gatherTurn: true,
    key: (change) => change.envelope.messageId,
  });

  private readonly replyWrites = new StatementBatcher<{ request: Envelope; reply: Envelope }, void>((batch) => this.recordReplyBatch(batch), {
    maxBatch: MAX_STATUS_BATCH,
    gatherTurn: true,
    key: ({ request }) => request.messageId,
  });
  private readonly deliveryReads = new StatementBatcher<Envelope, DeliveryView>((batch) => this.findForDeliveryBatch(batch), {
    maxBatch: MAX_STATUS_BATCH,
    gatherTurn: true,
    key: (envelope) => envelope.messageId,
  });
  /** Concurrent claims share a statement too, one batcher per lease rule. */
  private readonly claims = new Map<string, StatementBatcher<{ envelope: Envelope; holder?: string }, boolean>>();

  constructor(
    private readonly db: Database,
    dataKeys: DataKeys,
  ) {
    this.replies = dataKeys.column(REPLY_PAYLOAD_PURPOSE);
  }

  /** Statements written for status changes and the changes they carried, since start. */
  get statusWriteStats(): { statements: number; writes: number } {
    return { ...this.changes.stats };
  }

  private async event(tx: SqlExecutor, messageId: string, status: MessageStatus, detail?: Record<string, unknown>): Promise<void> {
    await tx.query(`INSERT INTO message_events (message_id, status, detail) VALUES ($1, $2, $3)`, [
      messageId,
      status,
      detail ? jsonParam(detail) : null,
    ]);
  }

  /**
   * Claims a caller-chosen message id before its message is queued, atomically (insert-if-absent), so two
   * concurrent submits of one id cannot both send it. True: the id is ours to send. False: someone holds it — a
   * message of that id exists, or a claim is in flight. A claim is taken over by the same client for the same
   * service when it is older than `leaseSeconds`, or at once when its holder (the process that made it, see
   * markHolderAlive) has not said it is alive for `holderAliveSeconds`: that process died between claim and
   * queueing (a claim without a holder has only the lease). Taking over the claim of a holder that was only slow can at worst queue the message twice, which the
   * dispatcher answers from the recorded reply (one partner call).
   */
  async claim(envelope: Envelope, leaseSeconds: number, holder?: string, holderAliveSeconds = DEFAULT_HOLDER_ALIVE_SECONDS): Promise<boolean> {
    // Claims with the same lease rules share a statement (the rules are the statement's, not a row's).
    const rules = `${leaseSeconds}/${holderAliveSeconds}`;
    let claims = this.claims.get(rules);
    if (!claims) {
      claims = new StatementBatcher<{ envelope: Envelope; holder?: string }, boolean>((batch) => this.claimBatch(batch, leaseSeconds, holderAliveSeconds), {
        maxBatch: MAX_STATUS_BATCH,
        gatherTurn: true,
        key: (claim) => claim.envelope.messageId,
      });
      this.claims.set(rules, claims);
    }
    return claims.submit({ envelope, holder });
  }

  /** The statement behind claim(), for many ids at once (each at most once), rows in id order. */
  private async claimBatch(claims: Array<{ envelope: Envelope; holder?: string }>, leaseSeconds: number, holderAliveSeconds: number): Promise<boolean[]> {
    const columns = columnsOf(claims.map(({ envelope, holder }) => [...rowValues(envelope, MessageStatus.CLAIMED), holder ?? null]));
    const { rows } = await this.db.query<{ message_id: string }>(
      `INSERT INTO messages (message_id, correlation_id, client, service, message_type, schema_version, direction,
                             status, status_rank, created_at, claimed_by)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::text[], $9::smallint[], $10::timestamptz[], $11::text[])
                  AS i(message_id, correlation_id, client, service, message_type, schema_version, direction,
                       status, status_rank, created_at, claimed_by)
        ORDER BY message_id
       ON CONFLICT (message_id) DO UPDATE SET updated_at = now(), created_at = EXCLUDED.created_at,
                                              correlation_id = EXCLUDED.correlation_id, claimed_by = EXCLUDED.claimed_by
       WHERE messages.status = EXCLUDED.status AND messages.client = EXCLUDED.client AND messages.service = EXCLUDED.service
         AND (messages.updated_at < now() - make_interval(secs => $12)
              OR messages.claimed_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM claim_holders h
                             WHERE h.holder = messages.claimed_by AND h.alive_at > now() - make_interval(secs => $13)))
       RETURNING message_id`,
      [...columns, leaseSeconds, holderAliveSeconds],
      PREPARED,
    );
    const won = new Set(rows.map((row) => row.message_id));
    return claims.map(({ envelope }) => won.has(envelope.messageId));
  }

  /** Says that `holder` (one process's claims) is alive; its claims are taken over once it stops saying so. */
  async markHolderAlive(holder: string): Promise<void> {
    await this.db.query(
      `INSERT INTO claim_holders (holder, alive_at) VALUES ($1, now()) ON CONFLICT (holder) DO UPDATE SET alive_at = now()`,
      [holder],
    );
    // Holders gone for a day are forgotten (one row per process start).
    await this.db.query(`DELETE FROM claim_holders WHERE alive_at < now() - interval '1 day'`);
  }

  /** Gives a claimed id back when its message could not be queued, so the caller may send it again. */
  async release(messageId: string): Promise<void> {
    await this.db.query(`DELETE FROM messages WHERE message_id = $1 AND status = $2`, [messageId, MessageStatus.CLAIMED]);
  }

  /**
   * Records a status change; returns false when the message is already further along (the event is still kept).
   * One statement (one round trip, atomic by itself): the row is inserted or moved forward — never back — with its
   * attempt count and, for `failed`, its error, and the event is appended. `moved` is read back from the row: the
   * status it holds afterwards is the one recorded exactly when the change was not refused (one status per rank
   * but dispatched/retrying, which share theirs and replace each other).
   */
  async record(envelope: Envelope, status: MessageStatus, detail?: Record<string, unknown>): Promise<boolean> {
    return this.changes.submit({ envelope, status, detail });
  }

  /**
   * The statement behind record(), for many messages at once (one message at most once): rows in message id order, so
   * two processes writing overlapping batches lock rows in the same order (no deadlock). A `failed` change carries
   * its error (error_code set); any other leaves the row's error as it is.
   */
  private async recordBatch(changes: StatusChange[]): Promise<boolean[]> {
    const columns = columnsOf(
      changes.map(({ envelope, status, detail }) => {
        const failed = status === MessageStatus.FAILED && detail !== undefined;
        return [
          ...rowValues(envelope, status),
          detail?.attempt === undefined ? null : Number(detail.attempt),
          failed ? String(detail.code ?? '') : null,
          failed ? String(detail.message ?? '') : null,
          // An error's message may quote a partner's text: jsonParam makes it text jsonb accepts.
          detail ? jsonParam(detail) : null,
        ];
      }),
    );
    const { rows } = await this.db.query<{ message_id: string; status: MessageStatus }>(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                              $8::text[], $9::smallint[], $10::timestamptz[], $11::int[], $12::text[], $13::text[], $14::jsonb[])
           AS i(message_id, correlation_id, client, service, message_type, schema_version, direction,
                status, status_rank, created_at, attempts, error_code, error_message, detail)
       ), changed AS (
         INSERT INTO messages (message_id, correlation_id, client, service, message_type, schema_version, direction,
                               status, status_rank, created_at, attempts, error_code, error_message)
         SELECT message_id, correlation_id, client, service, message_type, schema_version, direction,
                status, status_rank, created_at, COALESCE(attempts, 0), error_code, error_message
           FROM input ORDER BY message_id
         ON CONFLICT (message_id) DO UPDATE SET
           status = CASE WHEN messages.status_rank <= EXCLUDED.status_rank THEN EXCLUDED.status ELSE messages.status END,
           status_rank = GREATEST(messages.status_rank, EXCLUDED.status_rank),
           updated_at = CASE WHEN messages.status_rank <= EXCLUDED.status_rank THEN now() ELSE messages.updated_at END,
           attempts = GREATEST(messages.attempts, EXCLUDED.attempts),
           error_code = CASE WHEN EXCLUDED.error_code IS NOT NULL THEN EXCLUDED.error_code ELSE messages.error_code END,
           error_message = CASE WHEN EXCLUDED.error_code IS NOT NULL THEN EXCLUDED.error_message ELSE messages.error_message END
         RETURNING message_id, status
       ), event AS (
         INSERT INTO message_events (message_id, status, detail) SELECT message_id, status, detail FROM input
       )
       SELECT message_id, status FROM changed`,
      columns,
      PREPARED,
    );
    const now = new Map(rows.map((row) => [row.message_id, row.status]));
    return changes.map(({ envelope, status }) => now.get(envelope.messageId) === status);
  }

  /** Keeps the partner's reply with the request it answers and marks the request replied (one statement). */
  async recordReply(request: Envelope, reply: Envelope): Promise<void> {
    await this.replyWrites.submit({ request, reply });
  }

  /** The statement behind recordReply(), for many requests at once (each at most once), rows in id order. */
  private async recordReplyBatch(replies: Array<{ request: Envelope; reply: Envelope }>): Promise<void[]> {
    const columns = columnsOf(
      replies.map(({ request, reply }) => [
        ...rowValues(request, MessageStatus.REPLIED),
        reply.messageId,
        reply.messageType,
        reply.schemaVersion,
        reply.contentType,
        this.replies.seal(reply.payload, request.messageId),
        JSON.stringify({ replyMessageId: reply.messageId }),
      ]),
    );
    await this.db.query(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                              $8::text[], $9::smallint[], $10::timestamptz[], $11::text[], $12::text[], $13::text[],
                              $14::text[], $15::text[], $16::jsonb[])
           AS i(message_id, correlation_id, client, service, message_type, schema_version, direction, status,
                status_rank, created_at, reply_message_id, reply_type, reply_version, reply_content_type, reply_payload, detail)
       ), changed AS (
         INSERT INTO messages (message_id, correlation_id, client, service, message_type, schema_version, direction,
                               status, status_rank, created_at,
                               reply_message_id, reply_type, reply_version, reply_content_type, reply_payload)
         SELECT message_id, correlation_id, client, service, message_type, schema_version, direction, status,
                status_rank, created_at, reply_message_id, reply_type, reply_version, reply_content_type, reply_payload
           FROM input ORDER BY message_id
         ON CONFLICT (message_id) DO UPDATE SET
           status = CASE WHEN messages.status_rank <= EXCLUDED.status_rank THEN EXCLUDED.status ELSE messages.status END,
           status_rank = GREATEST(messages.status_rank, EXCLUDED.status_rank),
           updated_at = CASE WHEN messages.status_rank <= EXCLUDED.status_rank THEN now() ELSE messages.updated_at END,
           reply_message_id = EXCLUDED.reply_message_id, reply_type = EXCLUDED.reply_type,
           reply_version = EXCLUDED.reply_version, reply_content_type = EXCLUDED.reply_content_type,
           reply_payload = EXCLUDED.reply_payload, error_code = NULL, error_message = NULL
         RETURNING message_id, status
       )
       INSERT INTO message_events (message_id, status, detail)
       SELECT changed.message_id, input.status, input.detail FROM changed JOIN input USING (message_id)`,
      columns,
      PREPARED,
    );
    return replies.map(() => undefined);
  }

  /**
   * Rewrites up to `limit` reply payloads that are not under the active data key (older key, or plain from before
   * encryption at rest) under it, and returns how many it rewrote: run until 0 before removing an old key
   * (docs/keys.md). Without an active key there is nothing to do.
   */
  async reencryptReplies(limit: number): Promise<number> {
    const current = this.replies.currentPrefix;
    if (current === undefined) return 0;
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ message_id: string; reply_payload: string }>(
        `SELECT message_id, reply_payload FROM messages WHERE reply_payload IS NOT NULL AND NOT starts_with(reply_payload, $1)
         ORDER BY message_id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [current, limit],
      );
      for (const row of rows) {
        await tx.query(`UPDATE messages SET reply_payload = $2 WHERE message_id = $1`, [
          row.message_id,
          this.replies.reseal(row.reply_payload, row.message_id),
        ]);
      }
      return rows.length;
    });
  }

  /** A replay starts the message's path again from "accepted", keeping its history. */
  async recordReplay(messageId: string, detail: Record<string, unknown>): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE messages SET status = $2, status_rank = $3, updated_at = now() WHERE message_id = $1`,
        [messageId, MessageStatus.ACCEPTED, STATUS_RANK.accepted],
      );
      await this.event(tx, messageId, MessageStatus.ACCEPTED, { ...detail, replay: true });
    });
  }

  /**
   * Whether an earlier message of the same correlation, from the same client to the same partner, still waits for a
   * retry (so this one must wait too). Another client's correlation id, or the same id towards another partner, never
   * holds a message back: one client retrying cannot park the messages of others, nor a failing partner those of a
   * healthy one. Served by messages_pending_retry_correlation_idx (only rows that are retrying).
   */
  async hasEarlierPending(envelope: Envelope): Promise<boolean> {
    return (await this.findForDelivery(envelope)).earlierPending;
  }

  /**
   * What delivery needs to know first, in one round trip: the message as tracking holds it (without its history)
   * and whether an earlier message of its correlation still waits for a retry (hasEarlierPending).
   */
  async findForDelivery(envelope: Envelope): Promise<DeliveryView> {
    return this.deliveryReads.submit(envelope);
  }

  /**
   * The query behind findForDelivery(), for many messages at once. Each message is looked up by its key (a LATERAL
   * subquery the planner cannot flatten into a join): as a plain LEFT JOIN, this prepared statement's generic plan,
   * made while the table was small (a fresh database, the first minutes of a day), was a hash join over a sequential
   * scan of `messages`, kept by the connection while the table grew: each delivery read cost more than the last.
   * The "earlier pending" test reads `pending_retry` (true while the status is retrying, kept by a trigger), the predicate of the
   * partial index messages_pending_retry_correlation_idx, in the text: a generic plan uses a partial index only when
   * the statement names its predicate (the status as a parameter read a BitmapAnd of two whole indexes instead).
   */
  private async findForDeliveryBatch(envelopes: Envelope[]): Promise<DeliveryView[]> {
    const { rows } = await this.db.query<MessageRow & { wanted: string; earlier_pending: boolean }>(
      DELIVERY_READ,
      columnsOf(envelopes.map((e) => [e.messageId, e.correlationId, e.createdAt, e.client, e.service.partner])),
      PREPARED,
    );
    const byId = new Map(rows.map((row) => [row.wanted, row]));
    return envelopes.map((envelope) => {
      const row = byId.get(envelope.messageId);
      return { current: row?.message_id ? toRecord(row, this.replies) : undefined, earlierPending: row?.earlier_pending === true };
    });
  }

  /** The message without its history: one query, for the delivery hot path. */
  async findCurrent(messageId: string): Promise<Omit<MessageRecord, 'history'> | undefined> {
    const { rows } = await this.db.query<MessageRow>(`SELECT * FROM messages WHERE message_id = $1`, [messageId]);
    return rows[0] ? toRecord(rows[0], this.replies) : undefined;
  }

  /** The current status of each of these messages that tracking knows, in one query (bulk replays). */
  async statusesOf(messageIds: readonly string[]): Promise<Map<string, MessageStatus>> {
    if (messageIds.length === 0) return new Map();
    const { rows } = await this.db.query<{ message_id: string; status: MessageStatus }>(
      `SELECT message_id, status FROM messages WHERE message_id = ANY($1::text[])`,
      [messageIds],
    );
    return new Map(rows.map((row) => [row.message_id, row.status]));
  }

  async find(messageId: string): Promise<MessageRecord | undefined> {
    const current = await this.findCurrent(messageId);
    if (!current) return undefined;
    const events = await this.db.query<{ status: MessageStatus; at: Date | string; detail: Record<string, unknown> | string | null }>(
      `SELECT status, at, detail FROM message_events WHERE message_id = $1 ORDER BY id`,
      [messageId],
    );
    const history: MessageEvent[] = events.rows.map((event) => ({
      status: event.status,
      at: iso(event.at),
      ...(event.detail ? { detail: typeof event.detail === 'string' ? JSON.parse(event.detail) : event.detail } : {}),
    }));
    return { ...current, history };
  }
}

function toRecord(row: MessageRow, replies: SealedColumn): Omit<MessageRecord, 'history'> {
  return {
    messageId: row.message_id,
    correlationId: row.correlation_id,
    client: row.client,
    service: row.service,
    messageType: row.message_type,
    schemaVersion: row.schema_version,
    direction: row.direction,
    status: row.status,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    attempts: row.attempts,
    ...(row.reply_message_id
      ? {
          reply: {
            messageId: row.reply_message_id,
            messageType: row.reply_type ?? '',
            schemaVersion: row.reply_version ?? '',
            contentType: row.reply_content_type ?? '',
            payload: replies.open(row.reply_payload ?? '', row.message_id),
          },
        }
      : {}),
    ...(row.error_code ? { error: { code: row.error_code, message: row.error_message ?? '' } } : {}),
  };
}
