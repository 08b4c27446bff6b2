import { Logger } from '@nestjs/common';
import { CounterMetric, GaugeMetric, MetricsRegistry } from '@korpu/observability';
import { ExchangeErrorCode, ExchangeException } from '../exchange.exception';

/** What one gateway holds waiting: `maxWaiting` synchronous exchanges in all (EXCHANGE_MAX_WAITING). */
export interface ExchangeAdmissionOptions {
  maxWaiting: number;
}

/**
 * Which budget refused: the partner's own (`maxWaitingExchanges` of its contract), the calling client's share of it
 * (`maxWaitingExchangesPerClient`) or the whole gateway's (EXCHANGE_MAX_WAITING).
 */
export type AdmissionScope = 'partner' | 'client' | 'gateway';

/** A partner's budget: how many exchanges may wait for it, and how many of those one client may hold. */
export interface PartnerBudget {
  maxWaiting: number;
  maxWaitingPerClient: number;
}

/** A refusal is logged at once, then at most once per this many ms per partner, scope and client, with the count between. */
export const OVERLOAD_LOG_INTERVAL_MS = 10_000;

/** How long a refused caller is told to wait (Retry-After): a waiting exchange's reply is a partner call away. */
export const OVERLOAD_RETRY_AFTER_SECONDS = 1;

interface Notice {
  loggedAt: number;
  refusedSince: number;
}

/**
 * Bounds the synchronous exchanges one gateway holds waiting for their reply, per partner and in all. A caller past
 * a budget is refused at once (503 EXCHANGE_OVERLOADED, Retry-After), before anything is claimed, logged or queued,
 * so nothing is accepted that could be lost; the exchanges already waiting keep their place. Without it an
 * overloaded or slow partner queues every new exchange behind the waiting ones until its deadline (504), each
 * holding a connection and memory, and the gateway ends up answering late for everyone; with it a partner's budget
 * is its own, so a slow partner fills only its own, and within it a client's share is its own, so one subsystem
 * flooding a partner leaves room for the others. The async submit (`POST /v1/messages`) is not bounded here:
 * Kafka holds its backlog.
 */
export class ExchangeAdmission {
  private readonly logger = new Logger('ExchangeAdmission');
  private readonly byPartner = new Map<string, number>();
  private readonly byClient = new Map<string, number>();
  private total = 0;
  private readonly notices = new Map<string, Notice>();
  private readonly waitingGauge?: GaugeMetric<'partner'>;
  private readonly refusals?: CounterMetric<'partner' | 'scope'>;

  constructor(
    private readonly options: ExchangeAdmissionOptions,
    metrics?: MetricsRegistry,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(options.maxWaiting) || options.maxWaiting < 1) throw new Error('maxWaiting must be a whole number ≥ 1');
    this.waitingGauge = metrics?.gauge({
      name: 'korpu_sync_exchanges_waiting',
      help: 'Synchronous exchanges (POST /v1/exchange) this gateway holds waiting for their reply, by partner',
      labelNames: ['partner'] as const,
    });
    this.refusals = metrics?.counter({
      name: 'korpu_sync_exchanges_refused_total',
      help: 'Synchronous exchanges refused with EXCHANGE_OVERLOADED, by partner and by the budget that was full (partner; client: the caller\'s share of the partner\'s; gateway)',
      labelNames: ['partner', 'scope'] as const,
    });
  }

  /** Exchanges waiting now: towards one partner (of one client), or in all. */
  waiting(partner?: string, client?: string): number {
    if (partner === undefined) return this.total;
    return client === undefined ? (this.byPartner.get(partner) ?? 0) : (this.byClient.get(clientKey(partner, client)) ?? 0);
  }

  /**
   * Takes a place for one exchange of `client` towards `partner`, within the partner's `budget`, or throws
   * EXCHANGE_OVERLOADED. The returned function gives the place back; calling it again does nothing.
   */
  admit(partner: string, client: string, budget: PartnerBudget): () => void {
    const key = clientKey(partner, client);
    if ((this.byPartner.get(partner) ?? 0) >= budget.maxWaiting) this.refuse(partner, client, 'partner', budget.maxWaiting);
    if ((this.byClient.get(key) ?? 0) >= budget.maxWaitingPerClient) this.refuse(partner, client, 'client', budget.maxWaitingPerClient);
    if (this.total >= this.options.maxWaiting) this.refuse(partner, client, 'gateway', this.options.maxWaiting);
    this.change(partner, key, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.change(partner, key, -1);
    };
  }

  private change(partner: string, key: string, delta: number): void {
    const held = (this.byPartner.get(partner) ?? 0) + delta;
    const own = (this.byClient.get(key) ?? 0) + delta;
    if (held <= 0) this.byPartner.delete(partner);
    else this.byPartner.set(partner, held);
    if (own <= 0) this.byClient.delete(key);
    else this.byClient.set(key, own);
    this.total += delta;
    this.waitingGauge?.set({ partner }, held);
  }

  private refuse(partner: string, client: string, scope: AdmissionScope, limit: number): never {
    this.refusals?.inc({ partner, scope });
    this.notice(partner, client, scope, limit);
    const budget =
      scope === 'partner'
        ? `partner ${partner}'s budget (maxWaitingExchanges ${limit})`
        : scope === 'client'
          ? `your share of partner ${partner}'s budget (maxWaitingExchangesPerClient ${limit})`
          : `this gateway's budget (EXCHANGE_MAX_WAITING ${limit})`;
    throw new ExchangeException(
      ExchangeErrorCode.EXCHANGE_OVERLOADED,
      `Too many exchanges are waiting for a reply: ${budget} is full; nothing was accepted, send it again in a moment (or submit it with POST /v1/messages)`,
      { partner, scope, limit, retryAfterSeconds: OVERLOAD_RETRY_AFTER_SECONDS },
    );
  }

  /** The log record of a refusal: the first of a burst at once, then one per interval with how many it stands for. */
  private notice(partner: string, client: string, scope: AdmissionScope, limit: number): void {
    const key = `${scope}\u0000${partner}\u0000${scope === 'client' ? client : ''}`;
    const now = this.now();
    const notice = this.notices.get(key);
    if (notice && now - notice.loggedAt < OVERLOAD_LOG_INTERVAL_MS) {
      notice.refusedSince += 1;
      return;
    }
    const since = notice && notice.refusedSince > 0 ? `; ${notice.refusedSince} more refused in the ${Math.round((now - notice.loggedAt) / 1000)} s since the previous record` : '';
    this.logger.warn(
      `EXCHANGE_OVERLOADED: exchange towards ${partner} refused, ${this.describeWaiting(partner, client, scope)} (limit ${limit}, ${scope})${since}`,
    );
    this.notices.set(key, { loggedAt: now, refusedSince: 0 });
    // Bounded by the partners of the contracts times their clients (and two more scopes each).
    if (this.notices.size > 2000) this.notices.delete(this.notices.keys().next().value as string);
  }

  private describeWaiting(partner: string, client: string, scope: AdmissionScope): string {
    if (scope === 'partner') return `${this.waiting(partner)} waiting for it`;
    if (scope === 'client') return `${this.waiting(partner, client)} of client ${client} waiting for it`;
    return `${this.total} waiting in all`;
  }
}

function clientKey(partner: string, client: string): string {
  return `${partner}\u0000${client}`;
}
