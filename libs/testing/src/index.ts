export { startApp, stopAllApps, httpReady, httpsReady, freePort, repoRoot } from './app-process';
export type { AppProcess } from './app-process';
export { ensureTestKafka, stopTestKafka, killTestKafka, testKafkaPort, kafkaSecretsDir } from './kafka';
export { ensureTestKafkaCluster, stopTestKafkaCluster, killTestKafkaClusterNode, restartTestKafkaClusterNode, testKafkaClusterPort } from './kafka';
export { kafkaCredentialsEnv, testKafkaSasl, provisionTestKafka } from './kafka-credentials';
export type { KafkaPrincipal } from './kafka-credentials';
export { ensureTestPostgres, stopTestPostgres, createTestDatabase, testPostgresPort } from './postgres';
export type { TestDatabase } from './postgres';
