export { ObservabilityModule } from './observability.module';
export { ReadinessRegistry } from './readiness.registry';
export type { ReadinessCheck } from './readiness.registry';
