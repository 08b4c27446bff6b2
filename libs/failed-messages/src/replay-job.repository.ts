import { Injectable } from '@nestjs/common';
import { Database, jsonParam } from '@korpu/store';
import { FailedMessageFilter } from './failed-message';
import { iso, isoOrNull, whereOf } from './failed-message.repository';
import { ReplayJob, ReplayJobItem, ReplayJobItemState, ReplayJobProgress, ReplayJobState } from './replay-job';

interface JobRow {
  id: string;
  state: ReplayJobState;
  created_at: Date | string;
  created_by: string;
  reason: string | null;
  force: boolean;
  selection: unknown;
  total: number;
  partners: Array<{ partner: string; count: number }> | string;
  state_changed_at: Date | string;
  state_changed_by: string | null;
  started_at: Date | string | null;
  finished_at: Date | string | null;
  lease_owner: string | null;
  lease_until: Date | string | null;
}

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

function toJob(row: JobRow): ReplayJob {
  return {
    id: row.id,
    state: row.state,
    createdAt: iso(row.created_at),
    createdBy: row.created_by,
    reason: row.reason,
    force: row.force,
    selection: json(row.selection),
    total: row.total,
    partners: json(row.partners),
    stateChangedAt: iso(row.state_changed_at),
    stateChangedBy: row.state_changed_by,
    startedAt: isoOrNull(row.started_at),
    finishedAt: isoOrNull(row.finished_at),
    leaseOwner: row.lease_owner,
    leaseUntil: isoOrNull(row.lease_until),
  };
}

/** The window the progress rate is measured over. */
const RATE_WINDOW_SECONDS = 30;

export interface JobPreview {
  matched: number;
  partners: Array<{ partner: string; count: number }>;
  /** Matching messages already pending in another job (left to it: one outstanding replay per message). */
  alreadyQueued: number;
}

export interface ItemOutcome {
  seq: number;
  state: Extract<ReplayJobItemState, 'sent' | 'skipped' | 'failed' | 'pending'>;
  detail?: string;
}

/**
 * Bulk-replay jobs in PostgreSQL (`replay_jobs`, `replay_job_items`). A worker holds a job's lease while it
 * publishes; the lease is renewed with every batch it claims, so a worker that stops renewing (crashed) loses the
 * job to the next. Item claims are conditional on the lease (fencing): a worker that lost its lease claims nothing.
 * Lease times are the database's clock, so workers on several hosts agree.
 */
@Injectable()
export class ReplayJobRepository {
  constructor(private readonly db: Database) {}

  async preview(filter: FailedMessageFilter): Promise<JobPreview> {
    if (filter.status && filter.status.length === 0) return { matched: 0, partners: [], alreadyQueued: 0 };
    const params: unknown[] = [];
    const clauses = [...whereOf(filter, params), 'original_topic IS NOT NULL', 'edited_to IS NULL'];
    const { rows } = await this.db.query<{ partner: string; count: number; queued: number }>(
      `SELECT COALESCE(partner, '') AS partner, count(*)::int AS count,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM replay_job_items i WHERE i.message_id = f.message_id AND i.state IN ('pending', 'sending')))::int AS queued
       FROM failed_messages f WHERE ${clauses.join(' AND ')} GROUP BY 1 ORDER BY 2 DESC, 1`,
      params,
    );
    return {
      matched: rows.reduce((sum, row) => sum + Number(row.count), 0),
      partners: rows.map((row) => ({ partner: row.partner, count: Number(row.count) })),
      alreadyQueued: rows.reduce((sum, row) => sum + Number(row.queued), 0),
    };
  }

  /**
   * Creates a job and its items in one transaction: every replayable message of `filter`, oldest failure first,
   * except those already outstanding in another job.
   */
  async create(
    job: { id: string; createdBy: string; at: Date; reason?: string; force: boolean; selection: unknown },
    filter: FailedMessageFilter,
  ): Promise<ReplayJob> {
    return this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO replay_jobs (id, state, created_at, created_by, reason, force, selection, total, partners, state_changed_at, state_changed_by)
         VALUES ($1, 'running', $2, $3, $4, $5, $6::jsonb, 0, '[]'::jsonb, $2, $3)`,
        [job.id, job.at.toISOString(), job.createdBy, job.reason ?? null, job.force, jsonParam(job.selection)],
      );
      let partners: Array<{ partner: string; count: number }> = [];
      if (!(filter.status && filter.status.length === 0)) {
        const params: unknown[] = [job.id];
        const clauses = [...whereOf(filter, params), 'original_topic IS NOT NULL', 'edited_to IS NULL'];
        const { rows } = await tx.query<{ partner: string; count: number }>(
          `WITH inserted AS (
             INSERT INTO replay_job_items (job_id, seq, message_id, partner)
             SELECT $1, row_number() OVER (ORDER BY last_failed_at, message_id), message_id, COALESCE(partner, '')
             FROM failed_messages WHERE ${clauses.join(' AND ')}
             ORDER BY last_failed_at, message_id
             ON CONFLICT (message_id) WHERE state IN ('pending', 'sending') DO NOTHING
             RETURNING partner)
           SELECT partner, count(*)::int AS count FROM inserted GROUP BY 1 ORDER BY 2 DESC, 1`,
          params,
        );
        partners = rows.map((row) => ({ partner: row.partner, count: Number(row.count) }));
      }
      const total = partners.reduce((sum, row) => sum + row.count, 0);
      const { rows } = await tx.query<JobRow>(
        `UPDATE replay_jobs SET total = $2, partners = $3::jsonb,
           state = CASE WHEN $2 = 0 THEN 'completed' ELSE state END, finished_at = CASE WHEN $2 = 0 THEN created_at END
         WHERE id = $1 RETURNING *`,
        [job.id, total, JSON.stringify(partners)],
      );
      return toJob(rows[0]);
    });
  }

  async find(jobId: string): Promise<ReplayJob | undefined> {
    const { rows } = await this.db.query<JobRow>(`SELECT * FROM replay_jobs WHERE id = $1`, [jobId]);
    return rows[0] ? toJob(rows[0]) : undefined;
  }

  async list(limit: number): Promise<ReplayJob[]> {
    const { rows } = await this.db.query<JobRow>(`SELECT * FROM replay_jobs ORDER BY created_at DESC, id DESC LIMIT $1`, [limit]);
    return rows.map(toJob);
  }

  async progress(jobId: string): Promise<ReplayJobProgress | undefined> {
    const job = await this.find(jobId);
    if (!job) return undefined;
    const [{ rows: counts }, { rows: recent }] = await Promise.all([
      this.db.query<{ state: ReplayJobItemState; count: number }>(
        `SELECT state, count(*)::int AS count FROM replay_job_items WHERE job_id = $1 GROUP BY state`,
        [jobId],
      ),
      this.db.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM replay_job_items
         WHERE job_id = $1 AND state IN ('sent', 'skipped', 'failed') AND updated_at > now() - make_interval(secs => $2)`,
        [jobId, RATE_WINDOW_SECONDS],
      ),
    ]);
    const of = (state: ReplayJobItemState) => Number(counts.find((row) => row.state === state)?.count ?? 0);
    const remaining = of('pending') + of('sending');
    const started = job.startedAt ? Date.parse(job.startedAt) : undefined;
    const window = started === undefined ? RATE_WINDOW_SECONDS : Math.min(RATE_WINDOW_SECONDS, Math.max(1, (Date.now() - started) / 1000));
    const ratePerSecond = Math.round((Number(recent[0]?.count ?? 0) / window) * 10) / 10;
    const handled = job.total - remaining;
    return {
      job,
      done: of('sent'),
      failed: of('failed'),
      skipped: of('skipped'),
      inDoubt: of('in-doubt'),
      cancelled: of('cancelled'),
      remaining,
      ratePerSecond,
      etaSeconds: job.state === 'running' && ratePerSecond > 0 ? Math.ceil(remaining / ratePerSecond) : null,
      percent: job.total === 0 ? 100 : Math.floor((handled / job.total) * 100),
    };
  }

  async items(jobId: string, states: readonly ReplayJobItemState[], limit: number): Promise<ReplayJobItem[]> {
    const { rows } = await this.db.query<{
      seq: number;
      message_id: string;
      partner: string;
      state: ReplayJobItemState;
      detail: string | null;
      updated_at: Date | string | null;
    }>(
      `SELECT seq, message_id, partner, state, detail, updated_at FROM replay_job_items
       WHERE job_id = $1 AND state = ANY($2::text[]) ORDER BY seq LIMIT $3`,
      [jobId, states, limit],
    );
    return rows.map((row) => ({
      seq: Number(row.seq),
      messageId: row.message_id,
      partner: row.partner,
      state: row.state,
      detail: row.detail,
      updatedAt: isoOrNull(row.updated_at),
    }));
  }

  /**
   * An operator's pause / resume / cancel: the job moves to `to` if its state is one of `from`. Cancelling
   * releases its pending items (they may be replayed again, by hand or in another job).
   */
  async changeState(
    jobId: string,
    to: Extract<ReplayJobState, 'running' | 'paused' | 'cancelled'>,
    from: readonly ReplayJobState[],
    change: { operator: string; at: Date },
  ): Promise<{ changed: boolean; job?: ReplayJob; previous?: ReplayJobState }> {
    return this.db.transaction(async (tx) => {
      const { rows: current } = await tx.query<JobRow>(`SELECT * FROM replay_jobs WHERE id = $1 FOR UPDATE`, [jobId]);
      if (!current[0]) return { changed: false };
      if (!from.includes(current[0].state)) return { changed: false, job: toJob(current[0]) };
      const { rows } = await tx.query<JobRow>(
        `UPDATE replay_jobs SET state = $2, state_changed_at = $3, state_changed_by = $4,
           finished_at = CASE WHEN $2 = 'cancelled' THEN $3::timestamptz ELSE finished_at END
         WHERE id = $1 RETURNING *`,
        [jobId, to, change.at.toISOString(), change.operator],
      );
      if (to === 'cancelled') {
        await tx.query(`UPDATE replay_job_items SET state = 'cancelled', updated_at = now() WHERE job_id = $1 AND state = 'pending'`, [jobId]);
      }
      return { changed: true, job: toJob(rows[0]), previous: current[0].state };
    });
  }

  /**
   * Takes (or renews) the lease of the oldest running job that no live worker holds. `takenOverFrom` names the
   * worker whose lease had expired: its `sending` items are then in doubt.
   */
  async lease(owner: string, leaseMs: number): Promise<{ job: ReplayJob; takenOverFrom?: string } | undefined> {
    const { rows } = await this.db.query<JobRow & { previous_owner: string | null }>(
      `WITH candidate AS (
         SELECT id, lease_owner AS previous_owner FROM replay_jobs
         WHERE state = 'running' AND (lease_owner IS NULL OR lease_owner = $1 OR lease_until < now())
         ORDER BY (lease_owner = $1) DESC NULLS LAST, created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
       UPDATE replay_jobs j SET lease_owner = $1, lease_until = now() + make_interval(secs => $2::double precision / 1000),
         started_at = COALESCE(j.started_at, now())
       FROM candidate c WHERE j.id = c.id
       RETURNING j.*, c.previous_owner`,
      [owner, leaseMs],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { job: toJob(row), ...(row.previous_owner && row.previous_owner !== owner ? { takenOverFrom: row.previous_owner } : {}) };
  }

  /** After a takeover: what the dead worker was publishing may or may not have reached Kafka. Returns how many. */
  async markInDoubt(jobId: string, previousOwner: string): Promise<number> {
    const result = await this.db.query(
      `UPDATE replay_job_items SET state = 'in-doubt', updated_at = now(), detail = $2 WHERE job_id = $1 AND state = 'sending'`,
      [jobId, `was being published by ${previousOwner} when it stopped`],
    );
    return result.rowCount;
  }

  /** Pending items of one partner, in job order. */
  async nextItems(jobId: string, partner: string, limit: number): Promise<Array<{ seq: number; messageId: string }>> {
    const { rows } = await this.db.query<{ seq: number; message_id: string }>(
      `SELECT seq, message_id FROM replay_job_items WHERE job_id = $1 AND state = 'pending' AND partner = $2 ORDER BY seq LIMIT $3`,
      [jobId, partner, limit],
    );
    return rows.map((row) => ({ seq: Number(row.seq), messageId: row.message_id }));
  }

  /**
   * Claims items for publishing, only while the job runs and `owner` holds its lease (renewed here). Returns the
   * items claimed: none when the job was paused or cancelled, or the lease was lost.
   */
  async claimItems(jobId: string, owner: string, leaseMs: number, seqs: readonly number[]): Promise<Array<{ seq: number; messageId: string }>> {
    const { rows } = await this.db.query<{ seq: number; message_id: string }>(
      `WITH job AS (
         UPDATE replay_jobs SET lease_until = now() + make_interval(secs => $3::double precision / 1000)
         WHERE id = $1 AND state = 'running' AND lease_owner = $2 RETURNING id)
       UPDATE replay_job_items i SET state = 'sending', updated_at = now()
       FROM job WHERE i.job_id = job.id AND i.seq = ANY($4::int[]) AND i.state = 'pending'
       RETURNING i.seq, i.message_id`,
      [jobId, owner, leaseMs, seqs],
    );
    return rows.map((row) => ({ seq: Number(row.seq), messageId: row.message_id })).sort((a, b) => a.seq - b.seq);
  }

  /** Records what became of claimed items (`pending`: back in the queue, e.g. Kafka refused for now). */
  async finishItems(jobId: string, outcomes: readonly ItemOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.db.query(
      `UPDATE replay_job_items i SET state = r.state, detail = r.detail, updated_at = now()
       FROM unnest($2::int[], $3::text[], $4::text[]) AS r(seq, state, detail)
       WHERE i.job_id = $1 AND i.seq = r.seq AND i.state = 'sending'`,
      [jobId, outcomes.map((o) => o.seq), outcomes.map((o) => o.state), outcomes.map((o) => o.detail ?? null)],
    );
  }

  /** Completes a running job with nothing left to publish. True when it did. */
  async completeIfDone(jobId: string): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE replay_jobs SET state = 'completed', finished_at = now(), state_changed_at = now(), state_changed_by = NULL
       WHERE id = $1 AND state = 'running'
         AND NOT EXISTS (SELECT 1 FROM replay_job_items WHERE job_id = $1 AND state IN ('pending', 'sending'))`,
      [jobId],
    );
    return result.rowCount > 0;
  }

  /** Gives up the lease (a worker shutting down cleanly), so another worker need not wait for it to expire. */
  async releaseLease(jobId: string, owner: string): Promise<void> {
    await this.db.query(`UPDATE replay_jobs SET lease_until = now() WHERE id = $1 AND lease_owner = $2`, [jobId, owner]);
  }
}
