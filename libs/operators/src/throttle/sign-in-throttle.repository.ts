import { Injectable } from '@nestjs/common';
import { Database } from '@korpu/store';

/** Failed sign-ins per key (`account:<name>`, `source:<address>`) in PostgreSQL, shared by every gateway instance. */
@Injectable()
export class SignInThrottleRepository {
  constructor(private readonly db: Database) {}

  /** The latest lock end among the keys that is still in the future, if any. */
  async lockedUntil(keys: readonly string[], now: Date): Promise<Date | undefined> {
    const { rows } = await this.db.query<{ until: Date | string | null }>(
      `SELECT max(locked_until) AS until FROM operator_sign_in_failures WHERE key = ANY($1::text[]) AND locked_until > $2`,
      [keys, now.toISOString()],
    );
    const until = rows[0]?.until;
    return until ? (until instanceof Date ? until : new Date(until)) : undefined;
  }

  /**
   * Counts one failure for the key within a window of `windowSeconds` (a new window starts after it) and locks
   * the key for `lockSeconds` when the count reaches `max`. Returns the count and the lock end if locked.
   */
  async recordFailure(
    key: string,
    now: Date,
    limits: { max: number; windowSeconds: number; lockSeconds: number },
  ): Promise<{ failures: number; lockedUntil?: Date }> {
    const windowStart = new Date(now.getTime() - limits.windowSeconds * 1000);
    const lockEnd = new Date(now.getTime() + limits.lockSeconds * 1000);
    const { rows } = await this.db.query<{ failures: number; locked_until: Date | string | null }>(
      `INSERT INTO operator_sign_in_failures AS f (key, failures, window_started_at, locked_until)
       VALUES ($1, 1, $2, CASE WHEN 1 >= $5 THEN $4::timestamptz END)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN f.window_started_at <= $3 THEN 1 ELSE f.failures + 1 END,
         window_started_at = CASE WHEN f.window_started_at <= $3 THEN $2 ELSE f.window_started_at END,
         locked_until = CASE WHEN (CASE WHEN f.window_started_at <= $3 THEN 1 ELSE f.failures + 1 END) >= $5
                             THEN $4::timestamptz ELSE f.locked_until END
       RETURNING failures, locked_until`,
      [key, now.toISOString(), windowStart.toISOString(), lockEnd.toISOString(), limits.max],
    );
    const row = rows[0];
    const until = row?.locked_until ? (row.locked_until instanceof Date ? row.locked_until : new Date(row.locked_until)) : undefined;
    return { failures: Number(row?.failures ?? 1), ...(until && until > now ? { lockedUntil: until } : {}) };
  }

  /** A successful sign-in clears the account's count (not the source's: one good password does not vouch for an address). */
  async clear(key: string): Promise<void> {
    await this.db.query(`DELETE FROM operator_sign_in_failures WHERE key = $1`, [key]);
  }
}
