import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ReadinessRegistry } from './readiness.registry';

interface Reply {
  status(code: number): Reply;
  send(body: unknown): unknown;
}

/** Liveness and readiness, public on every app (probes carry no credentials). */
@ApiTags('health')
@Controller()
export class HealthController {
  constructor(private readonly readiness: ReadinessRegistry) {}

  @Get('health')
  @HttpCode(200)
  health(): { status: string } {
    return { status: 'up' };
  }

  @Get('ready')
  async ready(@Res() reply: Reply): Promise<void> {
    const result = await this.readiness.evaluate();
    reply.status(result.ready ? 200 : 503).send({ status: result.ready ? 'ready' : 'not-ready', checks: result.checks });
  }
}
