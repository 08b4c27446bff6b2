import * as path from 'node:path';
import { ensureDevPki } from '../../../certs-dev/dev-pki';
import { ensureTestKafka } from './kafka';
import { ensureTestPostgres } from './postgres';

/**
 * Starts the real infrastructure once per Jest run (integration and e2e projects): a Kafka broker and a
 * PostgreSQL server on test ports. Whatever was already running (for example started by `npm test`)
 * is reused and left alone; whatever this set-up started, the teardown stops.
 */
export default async function globalSetup(): Promise<void> {
  const state = (globalThis as Record<string, unknown>).__korpuInfra as InfraState | undefined;
  if (state) return; // the other project already did it in this run
  // Apps and simulators sign with the development PKI; generated once, reused while valid.
  await ensureDevPki(path.resolve(__dirname, '../../../certs-dev/out'));
  const kafka = await ensureTestKafka();
  const postgres = await ensureTestPostgres();
  process.env.KAFKA_BROKERS = kafka.brokers;
  process.env.TEST_DATABASE_URL = postgres.url;
  (globalThis as Record<string, unknown>).__korpuInfra = {
    kafkaStartedByUs: kafka.startedByUs,
    postgresStartedByUs: postgres.startedByUs,
  } satisfies InfraState;
}

export interface InfraState {
  kafkaStartedByUs: boolean;
  postgresStartedByUs: boolean;
}
