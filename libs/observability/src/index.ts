export { ObservabilityModule } from './observability.module';
export { ReadinessRegistry } from './readiness.registry';
export type { ReadinessCheck } from './readiness.registry';
export { MetricsRegistry } from './metrics.registry';
export type { MetricSample, MetricCollector } from './metrics.registry';
