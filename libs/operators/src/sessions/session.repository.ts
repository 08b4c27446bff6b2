import { Injectable } from '@nestjs/common';
import { Database } from '@korpu/store';
import type { Role } from '../permissions';

export interface StoredSession {
  tokenHash: string;
  sessionId: string;
  operator: string;
  roles: Role[];
  source: 'directory' | 'local';
  clientAddress?: string;
  createdAt: Date;
  idleExpiresAt: Date;
  expiresAt: Date;
}

/** A live session as an admin sees it. */
export interface LiveSession {
  sessionId: string;
  operator: string;
  roles: Role[];
  source: 'directory' | 'local';
  clientAddress: string | null;
  createdAt: string;
  lastSeenAt: string;
  idleExpiresAt: string;
  expiresAt: string;
}

interface SessionRow {
  session_id: string;
  operator: string;
  roles: Role[];
  source: 'directory' | 'local';
  idle_expires_at: Date | string;
  expires_at: Date | string;
  ended_at: Date | string | null;
}

const date = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

/** Operator sessions in PostgreSQL (`operator_sessions`), by the SHA-256 of their bearer token. */
@Injectable()
export class SessionRepository {
  constructor(private readonly db: Database) {}

  async create(session: StoredSession): Promise<void> {
    await this.db.query(
      `INSERT INTO operator_sessions (token_hash, session_id, operator, roles, source, client_address, created_at, last_seen_at, idle_expires_at, expires_at)
       VALUES ($1, $2, $3, $4::text[], $5, $6, $7, $7, $8, $9)`,
      [
        session.tokenHash,
        session.sessionId,
        session.operator,
        session.roles,
        session.source,
        session.clientAddress ?? null,
        session.createdAt.toISOString(),
        session.idleExpiresAt.toISOString(),
        session.expiresAt.toISOString(),
      ],
    );
  }

  /**
   * The live session of a token hash, its idle expiry moved to `idleUntil` (never past its absolute expiry);
   * `ended` when the session exists but was signed out or expired, undefined when there is none.
   */
  async touch(
    hash: string,
    now: Date,
    idleUntil: Date,
  ): Promise<{ session: Omit<StoredSession, 'tokenHash' | 'createdAt'> } | { ended: true } | undefined> {
    const { rows } = await this.db.query<SessionRow>(
      `UPDATE operator_sessions SET last_seen_at = $2, idle_expires_at = LEAST($3::timestamptz, expires_at)
       WHERE token_hash = $1 AND ended_at IS NULL AND idle_expires_at > $2 AND expires_at > $2
       RETURNING session_id, operator, roles, source, idle_expires_at, expires_at, ended_at`,
      [hash, now.toISOString(), idleUntil.toISOString()],
    );
    const row = rows[0];
    if (row) {
      return {
        session: {
          sessionId: row.session_id,
          operator: row.operator,
          roles: row.roles,
          source: row.source,
          idleExpiresAt: date(row.idle_expires_at),
          expiresAt: date(row.expires_at),
        },
      };
    }
    const known = await this.db.query<{ n: number }>(`SELECT 1 AS n FROM operator_sessions WHERE token_hash = $1`, [hash]);
    return known.rows.length ? { ended: true } : undefined;
  }

  /** Ends a live session; returns it (operator, session id) when there was one to end. */
  async end(hash: string, now: Date, reason: string): Promise<{ sessionId: string; operator: string } | undefined> {
    const { rows } = await this.db.query<{ session_id: string; operator: string }>(
      `UPDATE operator_sessions SET ended_at = $2, end_reason = $3 WHERE token_hash = $1 AND ended_at IS NULL
       RETURNING session_id, operator`,
      [hash, now.toISOString(), reason],
    );
    return rows[0] ? { sessionId: rows[0].session_id, operator: rows[0].operator } : undefined;
  }

  /** Live sessions (not ended, not expired), newest first: no token hashes, only their public ids. */
  async listLive(now: Date, limit = 500): Promise<LiveSession[]> {
    const { rows } = await this.db.query<SessionRow & { created_at: Date | string; last_seen_at: Date | string; client_address: string | null }>(
      `SELECT session_id, operator, roles, source, client_address, created_at, last_seen_at, idle_expires_at, expires_at, ended_at
       FROM operator_sessions WHERE ended_at IS NULL AND idle_expires_at > $1 AND expires_at > $1
       ORDER BY created_at DESC LIMIT $2`,
      [now.toISOString(), limit],
    );
    return rows.map((row) => ({
      sessionId: row.session_id,
      operator: row.operator,
      roles: row.roles,
      source: row.source,
      clientAddress: row.client_address,
      createdAt: date(row.created_at).toISOString(),
      lastSeenAt: date(row.last_seen_at).toISOString(),
      idleExpiresAt: date(row.idle_expires_at).toISOString(),
      expiresAt: date(row.expires_at).toISOString(),
    }));
  }

  /** Ends a live session by its public id (an admin ending someone's session). */
  async endById(sessionId: string, now: Date, reason: string): Promise<{ sessionId: string; operator: string } | undefined> {
    const { rows } = await this.db.query<{ session_id: string; operator: string }>(
      `UPDATE operator_sessions SET ended_at = $2, end_reason = $3 WHERE session_id = $1 AND ended_at IS NULL
       RETURNING session_id, operator`,
      [sessionId, now.toISOString(), reason],
    );
    return rows[0] ? { sessionId: rows[0].session_id, operator: rows[0].operator } : undefined;
  }
}
