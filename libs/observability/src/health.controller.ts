import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { MetricsRegistry } from './metrics.registry';
import { ReadinessRegistry } from './readiness.registry';

interface Reply {
  status(code: number): Reply;
  send(body: unknown): unknown;
}

/** Liveness, readiness and metrics, public on every app (probes and scrapers carry no credentials). */
@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly metrics: MetricsRegistry,
  ) {}

  @Get('health')
  @HttpCode(200)
  health(): { status: string } {
    return { status: 'up' };
  }

  @Get('metrics')
  async metricsText(@Res() reply: Reply & { header(name: string, value: string): Reply }): Promise<void> {
    reply.header('content-type', 'text/plain; version=0.0.4');
    reply.status(200).send(this.metrics.render());
  }

  @Get('ready')
  async ready(@Res() reply: Reply): Promise<void> {
    const result = await this.readiness.evaluate();
    reply.status(result.ready ? 200 : 503).send({ status: result.ready ? 'ready' : 'not-ready', checks: result.checks });
  }
}
