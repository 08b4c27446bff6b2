export { startApp, stopAllApps, httpReady, freePort, repoRoot } from './app-process';
export type { AppProcess } from './app-process';
export { ensureTestKafka, stopTestKafka, killTestKafka, testKafkaPort } from './kafka';
export { ensureTestPostgres, stopTestPostgres, createTestDatabase, testPostgresPort } from './postgres';
export type { TestDatabase } from './postgres';
