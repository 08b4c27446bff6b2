import type { InfraState } from './global-setup';
import { stopTestKafka, stopTestKafkaCluster } from './kafka';
import { stopTestPostgres } from './postgres';

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as Record<string, unknown>;
  const state = holder.__korpuInfra as InfraState | undefined;
  if (!state) return;
  delete holder.__korpuInfra;
  if (state.kafkaStartedByUs) await stopTestKafka();
  // The three-node test cluster is started by the test files that need it (test/fault) and shared by them; it is
  // stopped here, once per run (nothing when it was never started: kafka.sh only stops nodes of its own data folder).
  await stopTestKafkaCluster();
  if (state.postgresStartedByUs) await stopTestPostgres();
}
