import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { MetricsRegistry } from './metrics.registry';
import { ReadinessRegistry } from './readiness.registry';

interface Reply {
  status(code: number): Reply;
  header(name: string, value: string): Reply;
  send(body: unknown): unknown;
}

/**
 * Kubernetes probes and the Prometheus scrape, public on every app (probes and scrapers carry no credentials):
 * - `GET /health` — liveness: 200 while the process serves HTTP at all; it checks no dependency, so a broker
 *   outage never gets the pod restarted.
 * - `GET /ready` — readiness: 200 when every registered check passes, else 503 with each check's state.
 * - `GET /metrics` — Prometheus text format.
 */
@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly metrics: MetricsRegistry,
  ) {}

  @Get('health')
  health(@Res() reply: Reply): void {
    reply.header('cache-control', 'no-store').status(200).send({ status: 'up' });
  }

  @Get('ready')
  async ready(@Res() reply: Reply): Promise<void> {
    const result = await this.readiness.evaluate();
    reply
      .header('cache-control', 'no-store')
      .status(result.ready ? 200 : 503)
      .send({ status: result.ready ? 'ready' : 'not-ready', checks: result.checks });
  }

  @Get('metrics')
  async metricsText(@Res() reply: Reply): Promise<void> {
    const text = await this.metrics.render();
    reply.header('content-type', this.metrics.contentType).header('cache-control', 'no-store').status(200).send(text);
  }
}
