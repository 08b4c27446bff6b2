import { Global, Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { MetricsRegistry } from './metrics.registry';
import { ReadinessRegistry } from './readiness.registry';
import { TracingFlush } from './tracing/tracing-flush';

@Global()
@Module({
  controllers: [HealthController],
  providers: [{ provide: MetricsRegistry, useFactory: () => MetricsRegistry.create({ defaultMetrics: true }) }, ReadinessRegistry, TracingFlush],
  exports: [ReadinessRegistry, MetricsRegistry],
})
export class ObservabilityModule {}
