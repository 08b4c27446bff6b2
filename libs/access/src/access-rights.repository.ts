import { Injectable } from '@nestjs/common';
import { Database } from '@korpu/store';

export interface ClientGrant {
  clientId: string;
  name: string;
  services: string[];
}

export interface AccessRight {
  clientId: string;
  service: string;
  grantedAt: string;
  grantedBy: string;
  revokedAt?: string;
  revokedBy?: string;
}

export interface AccessStanding {
  status: string;
  granted: boolean;
}

/** Every client with its status and the services it holds a live right to. */
export type AccessTable = Map<string, { status: string; services: Set<string> }>;

@Injectable()
export class AccessRightsRepository {
  constructor(private readonly db: Database) {}

  /** The client's status and whether it holds a live right to the service, in one query. */
  async standing(clientId: string, service: string): Promise<AccessStanding | undefined> {
    const { rows } = await this.db.query<AccessStanding>(
      `SELECT c.status,
              EXISTS (SELECT 1 FROM access_rights r
                       WHERE r.client_id = c.client_id AND r.service = $2 AND r.revoked_at IS NULL) AS granted
         FROM access_clients c WHERE c.client_id = $1`,
      [clientId, service],
    );
    return rows[0];
  }

  /**
   * The whole table of standings, for the cache: one query. With a client id, that client's row only (metaservices:
   * allowedMethods); an unknown client is absent.
   */
  async table(clientId?: string): Promise<AccessTable> {
    const { rows } = await this.db.query<{ client_id: string; status: string; service: string | null }>(
      `SELECT c.client_id, c.status, r.service
         FROM access_clients c LEFT JOIN access_rights r ON r.client_id = c.client_id AND r.revoked_at IS NULL
       ${clientId === undefined ? '' : 'WHERE c.client_id = $1'}`,
      clientId === undefined ? [] : [clientId],
    );
    const table: AccessTable = new Map();
    for (const row of rows) {
      let client = table.get(row.client_id);
      if (!client) table.set(row.client_id, (client = { status: row.status, services: new Set() }));
      if (row.service !== null) client.services.add(row.service);
    }
    return table;
  }

  /** Adds clients and rights named in configuration; never re-grants what an operator revoked. */
  async seed(grants: ClientGrant[], by: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const grant of grants) {
        await tx.query(`INSERT INTO access_clients (client_id, name) VALUES ($1, $2) ON CONFLICT (client_id) DO NOTHING`, [
          grant.clientId,
          grant.name,
        ]);
        for (const service of grant.services) {
          await tx.query(
            `INSERT INTO access_rights (client_id, service, granted_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
            [grant.clientId, service, by],
          );
        }
      }
    });
  }

  /** Grants (again) a right; a client seen for the first time is registered under its id. */
  async grant(clientId: string, service: string, by: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO access_clients (client_id, name) VALUES ($1, $1) ON CONFLICT (client_id) DO NOTHING`, [clientId]);
      await tx.query(
        `INSERT INTO access_rights (client_id, service, granted_by) VALUES ($1, $2, $3)
         ON CONFLICT (client_id, service) DO UPDATE SET granted_at = now(), granted_by = $3, revoked_at = NULL, revoked_by = NULL`,
        [clientId, service, by],
      );
    });
  }

  async revoke(clientId: string, service: string, by: string): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE access_rights SET revoked_at = now(), revoked_by = $3 WHERE client_id = $1 AND service = $2 AND revoked_at IS NULL`,
      [clientId, service, by],
    );
    return result.rowCount > 0;
  }

  async list(clientId?: string): Promise<AccessRight[]> {
    const { rows } = await this.db.query<{
      client_id: string;
      service: string;
      granted_at: Date | string;
      granted_by: string;
      revoked_at: Date | string | null;
      revoked_by: string | null;
    }>(
      `SELECT * FROM access_rights ${clientId ? 'WHERE client_id = $1' : ''} ORDER BY client_id, service`,
      clientId ? [clientId] : [],
    );
    return rows.map((row) => ({
      clientId: row.client_id,
      service: row.service,
      grantedAt: new Date(row.granted_at).toISOString(),
      grantedBy: row.granted_by,
      ...(row.revoked_at ? { revokedAt: new Date(row.revoked_at).toISOString(), revokedBy: row.revoked_by ?? '' } : {}),
    }));
  }
}
