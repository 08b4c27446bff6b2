import { PartnerErrorCode, PartnerException } from '@korpu/adapters';
import { CounterMetric, GaugeMetric, HistogramMetric, MetricsRegistry } from '@korpu/observability';

/** `refused`: the partner answered, with an error or a reply we refused; `unreachable`: no answer at all. */
export type ExchangeOutcome = 'replied' | 'refused' | 'unreachable';

const UNREACHABLE = new Set<string>([
  PartnerErrorCode.TIMEOUT,
  PartnerErrorCode.UNAVAILABLE,
  PartnerErrorCode.CONNECTION_FAILED,
  PartnerErrorCode.TLS_FAILED,
  PartnerErrorCode.SERVER_ERROR,
]);

/** How a failed call counts for the partner's availability: only no answer (or a 5xx) makes it unreachable. */
export function failedExchangeOutcome(error: unknown): ExchangeOutcome {
  return error instanceof PartnerException && !UNREACHABLE.has(error.code) ? 'refused' : 'unreachable';
}

/**
 * What the dispatcher tells Prometheus about deliveries, every label bounded by the contracts (partner,
 * operation) or by error-code enums (code): exchanges and their latency, failures, retries, dead letters, and each
 * partner's availability (last answer, consecutive failed attempts since).
 */
export class DeliveryMetrics {
  private readonly failures?: CounterMetric<'partner' | 'code'>;
  private readonly retries?: CounterMetric<'partner' | 'code'>;
  private readonly deadLetters?: CounterMetric<'partner' | 'code'>;
  private readonly exchanges?: CounterMetric<'partner' | 'operation' | 'outcome'>;
  private readonly latency?: HistogramMetric<'partner' | 'operation' | 'outcome'>;
  private readonly lastSuccess?: GaugeMetric<'partner'>;
  private readonly consecutive?: GaugeMetric<'partner'>;
  private readonly deliveries?: CounterMetric<'partner'>;
  private readonly streaks = new Map<string, number>();

  constructor(metrics?: MetricsRegistry) {
    if (!metrics) return;
    const byCode = ['partner', 'code'] as const;
    const byExchange = ['partner', 'operation', 'outcome'] as const;
    this.failures = metrics.counter({
      name: 'korpu_delivery_failures_total',
      help: 'Failed delivery attempts by partner and code, retried or dead-lettered (REVOCATION_UNAVAILABLE: replies whose revocation status could not be checked)',
      labelNames: byCode,
    });
    this.retries = metrics.counter({ name: 'korpu_delivery_retries_total', help: 'Delivery attempts scheduled again (retry topics), by partner and code', labelNames: byCode });
    this.deadLetters = metrics.counter({ name: 'korpu_dead_letters_total', help: 'Messages dead-lettered by the dispatcher, by partner and code', labelNames: byCode });
    this.exchanges = metrics.counter({ name: 'korpu_exchanges_total', help: 'Calls to a partner, by partner, operation and outcome', labelNames: byExchange });
    this.latency = metrics.histogram({ name: 'korpu_exchange_duration_seconds', help: 'Time of one call to a partner (request signed and sent to reply verified), by partner, operation and outcome', labelNames: byExchange });
    this.lastSuccess = metrics.gauge({ name: 'korpu_partner_last_success_timestamp_seconds', help: 'When a partner last answered a call (Unix time)', labelNames: ['partner'] as const });
    this.deliveries = metrics.counter({ name: 'korpu_deliveries_total', help: 'Deliveries whose partner reply this instance recorded, by partner (one instance\'s share of the load)', labelNames: ['partner'] as const });
    this.consecutive = metrics.gauge({ name: 'korpu_partner_consecutive_failures', help: 'Calls to a partner left without an answer (timeout, connection, TLS, 5xx) since it last answered', labelNames: ['partner'] as const });
  }

  /** Times one call to a partner; the returned function records its outcome. */
  startExchange(partner: string, operation: string): (outcome: ExchangeOutcome) => void {
    const stop = this.latency?.startTimer();
    return (outcome) => {
      stop?.({ partner, operation, outcome });
      this.exchanges?.inc({ partner, operation, outcome });
      const streak = outcome === 'unreachable' ? (this.streaks.get(partner) ?? 0) + 1 : 0;
      this.streaks.set(partner, streak);
      this.consecutive?.set({ partner }, streak);
      if (outcome === 'replied') this.lastSuccess?.set({ partner }, Date.now() / 1000);
    };
  }

  /** A partner reply this instance recorded. */
  delivered(partner: string): void {
    this.deliveries?.inc({ partner });
  }

  failed(partner: string, code: string): void {
    this.failures?.inc({ partner, code });
  }

  retried(partner: string, code: string): void {
    this.retries?.inc({ partner, code });
  }

  deadLettered(partner: string, code: string): void {
    this.deadLetters?.inc({ partner, code });
  }
}
