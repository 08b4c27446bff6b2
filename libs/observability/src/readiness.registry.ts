import { Injectable, Optional } from '@nestjs/common';
import { MetricsRegistry } from './metrics.registry';

export type ReadinessCheck = () => Promise<void>;

export interface ReadinessReport {
  ready: boolean;
  /** Each check: `up`, or `down: <why>` (no secret: checks throw messages meant for operators). */
  checks: Record<string, string>;
}

/**
 * Each capability registers what it needs to be ready (the broker answering our credentials, a database answer,
 * consumer groups assigned, trust material loaded and fresh...). `/ready` and `korpu_ready` evaluate them all.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  constructor(@Optional() metrics?: MetricsRegistry) {
    metrics?.sampledGauge({
      name: 'korpu_ready',
      help: 'Whether a readiness check of this app passes (1) or not (0); check="all" for the app as a whole',
      labelNames: ['check'] as const,
      cacheMs: 5_000,
      sample: async () => {
        const report = await this.evaluate();
        return [
          { labels: { check: 'all' }, value: report.ready ? 1 : 0 },
          ...Object.entries(report.checks).map(([check, result]) => ({ labels: { check }, value: result === 'up' ? 1 : 0 })),
        ];
      },
    });
  }

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  async evaluate(timeoutMs = 2000): Promise<ReadinessReport> {
    const results: Record<string, string> = {};
    await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            check(),
            new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), timeoutMs))),
          ]);
          results[name] = 'up';
        } catch (error) {
          results[name] = `down: ${(error as Error).message}`;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    return { ready: Object.values(results).every((value) => value === 'up'), checks: results };
  }
}
