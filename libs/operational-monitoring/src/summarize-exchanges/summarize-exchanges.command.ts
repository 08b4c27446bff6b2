import { requestProblems } from '@korpu/errors';
import { OperationalMonitoringException } from '../operational-monitoring.exception';
import { SUMMARIZE_EXCHANGES_SCHEMA, SUMMARY_WINDOWS, SummaryWindow } from './summarize-exchanges.schema';

/** Which exchanges to summarise: a window ending now, bucketed, for every partner or one (SUMMARIZE_EXCHANGES_SCHEMA). */
export class SummarizeExchangesCommand {
  private constructor(
    readonly window: SummaryWindow,
    readonly windowMs: number,
    readonly bucketMs: number,
    readonly partner: string | undefined,
  ) {}

  /** @throws OPERATIONAL_RECORDS_REQUEST_INVALID with every problem of the query */
  static create(query: unknown): SummarizeExchangesCommand {
    const input = (query ?? {}) as Partial<Record<'window' | 'partner', string>>;
    const problems = requestProblems(SUMMARIZE_EXCHANGES_SCHEMA, input);
    if (problems.length) throw OperationalMonitoringException.invalid(problems);
    const window = (input.window ?? '1h') as SummaryWindow;
    const { windowMs, bucketMs } = SUMMARY_WINDOWS[window];
    return new SummarizeExchangesCommand(window, windowMs, bucketMs, input.partner);
  }
}
