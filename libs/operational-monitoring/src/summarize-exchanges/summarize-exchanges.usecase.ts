import { Injectable } from '@nestjs/common';
import { Clock } from '@korpu/operators';
import { ExchangeBucketRow, OperationalRecordStore } from '../operational-record.repository';
import { SummarizeExchangesCommand } from './summarize-exchanges.command';

export interface ExchangeFigures {
  /** Exchanges (delivery attempts outbound, calls inbound) that began in the bucket, refusals included. */
  exchanges: number;
  /** Attempts that failed (retried) or were given up. */
  errors: number;
  deadLettered: number;
  refused: number;
  /** errors / exchanges, 0 when there were none. */
  errorRate: number;
  /** 99th percentile of the exchanges' total duration (ms), absent when none has one. */
  p99Ms?: number;
}

export interface ExchangeSummary {
  window: string;
  bucketSeconds: number;
  from: string;
  to: string;
  partners: Array<{ partner: string; totals: ExchangeFigures; buckets: Array<ExchangeFigures & { at: string }> }>;
}

function figures(row: Pick<ExchangeBucketRow, 'exchanges' | 'errors' | 'deadLettered' | 'refused' | 'p99Ms'>): ExchangeFigures {
  return {
    exchanges: row.exchanges,
    errors: row.errors,
    deadLettered: row.deadLettered,
    refused: row.refused,
    errorRate: row.exchanges === 0 ? 0 : row.errors / row.exchanges,
    ...(row.p99Ms === undefined ? {} : { p99Ms: row.p99Ms }),
  };
}

/**
 * Exchanges per partner over the last hour or day, in buckets, from the operational records — what the console's
 * overview draws: exchanges per bucket, error rate, p99 latency, dead letters and refusals. One aggregate query;
 * the totals' p99 is that of the whole window (not a mean of the buckets').
 */
@Injectable()
export class SummarizeExchangesUseCase {
  constructor(
    private readonly store: OperationalRecordStore,
    private readonly clock: Clock,
  ) {}

  async execute(command: SummarizeExchangesCommand): Promise<ExchangeSummary> {
    const to = this.clock.now();
    // The window starts on a bucket boundary, so every bucket is whole and the same request gives the same buckets.
    const from = new Date(Math.floor((to.getTime() - command.windowMs) / command.bucketMs) * command.bucketMs);
    const { buckets, totals } = await this.store.summarize(from, command.bucketMs, command.partner);
    const partners = totals.map((row) => row.partner).sort();
    return {
      window: command.window,
      bucketSeconds: command.bucketMs / 1000,
      from: from.toISOString(),
      to: to.toISOString(),
      partners: partners.map((partner) => ({
        partner,
        totals: figures(totals.find((row) => row.partner === partner)!),
        buckets: buckets.filter((row) => row.partner === partner).map((row) => ({ at: row.at, ...figures(row) })),
      })),
    };
  }
}
