import type { InfraState } from './global-setup';
import { stopTestKafka } from './kafka';
import { stopTestPostgres } from './postgres';

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as Record<string, unknown>;
  const state = holder.__korpuInfra as InfraState | undefined;
  if (!state) return;
  delete holder.__korpuInfra;
  if (state.kafkaStartedByUs) await stopTestKafka();
  if (state.postgresStartedByUs) await stopTestPostgres();
}
