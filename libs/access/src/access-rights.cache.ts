import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Database, NotificationListener } from '@korpu/store';
import { AccessRightsRepository, AccessStanding, AccessTable } from './access-rights.repository';

export const ACCESS_RIGHTS_CHANNEL = 'korpu_access_rights';

/**
 * Every client's status and live rights, in memory, so a request's access check needs no query. Fed by
 * PostgreSQL notifications (a trigger on the access tables, whoever changes them): on a notification the cache
 * stops answering at once and reloads, so a revocation that committed is applied by every instance within the
 * time a notification takes to arrive (milliseconds), never later. While it cannot listen (connection lost,
 * not started yet) it answers nothing and every check reads the database, as without a cache.
 */
@Injectable()
export class AccessRightsCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AccessRightsCache.name);
  private table?: AccessTable;
  private listener?: NotificationListener;
  private listening = false;
  /** Bumped by each notification or gap: a load that began before one must not be trusted. */
  private generation = 0;
  private loading?: Promise<void>;
  private reloadAgain = false;

  constructor(
    private readonly db: Database,
    private readonly rights: AccessRightsRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    try {
      this.listener = await this.db.listen(ACCESS_RIGHTS_CHANNEL, {
        onNotify: () => this.invalidate(),
        onGap: (reason) => {
          if (this.listening) this.logger.warn(`Access rights cache off (reading the database) until listening again: ${reason}`);
          this.listening = false;
          this.invalidate(false);
        },
        onListening: () => {
          this.listening = true;
          this.invalidate();
        },
      });
    } catch (error) {
      this.logger.warn(`Access rights cache off (reading the database): cannot listen: ${String(error)}`);
    }
  }

  /** The client's standing from memory, or `null` when the cache cannot answer now (read the database). */
  standing(clientId: string, service: string): AccessStanding | undefined | null {
    if (!this.table) return null;
    const client = this.table.get(clientId);
    if (!client) return undefined;
    return { status: client.status, granted: client.services.has(service) };
  }

  private invalidate(reload = true): void {
    this.generation += 1;
    this.table = undefined;
    if (reload && this.listening) this.reload();
  }

  private reload(): void {
    if (this.loading) {
      this.reloadAgain = true;
      return;
    }
    const generation = this.generation;
    this.loading = this.rights
      .table()
      .then((table) => {
        if (generation === this.generation && this.listening) this.table = table;
        else this.reloadAgain = this.listening;
      })
      .catch((error: unknown) => {
        this.logger.warn(`Access rights cache could not load (reading the database meanwhile): ${String(error)}`);
        this.reloadAgain = this.listening;
      })
      .finally(() => {
        this.loading = undefined;
        if (this.reloadAgain) {
          this.reloadAgain = false;
          setTimeout(() => this.reload(), 50).unref();
        }
      });
  }

  /** Resolves once a load in progress ended (tests and shutdown). */
  async settled(): Promise<void> {
    while (this.loading) await this.loading;
  }

  async onApplicationShutdown(): Promise<void> {
    this.listening = false;
    this.invalidate(false);
    await this.listener?.close();
    await this.settled();
  }
}
