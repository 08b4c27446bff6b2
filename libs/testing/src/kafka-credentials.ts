import * as fs from 'node:fs';
import * as path from 'node:path';
import { KAFKA_PRINCIPALS, KafkaOptions, KafkaRole, KafkaSasl, KafkaTls, provisionKafka } from '@korpu/messaging';
import { kafkaSecretsDir, testKafkaPort } from './kafka';

// Apart from kafka.ts because Jest's global set-up loads that one without the @korpu/* path mapping.

/** An app role, the admin principal (super user: provisioning, integration tests) or one with no ACLs at all. */
export type KafkaPrincipal = KafkaRole | 'admin' | 'outsider';

function principalName(principal: KafkaPrincipal): string {
  return principal === 'admin' || principal === 'outsider' ? `korpu-${principal}` : KAFKA_PRINCIPALS[principal];
}

/** The environment that gives an app its own principal, the way production mounts a secret: a password file. */
export function kafkaCredentialsEnv(principal: KafkaPrincipal): Record<string, string> {
  return {
    KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
    KAFKA_SASL_USERNAME: principalName(principal),
    KAFKA_SASL_PASSWORD_FILE: path.join(kafkaSecretsDir(), `${principalName(principal)}.password`),
  };
}

/** SASL options of a principal, for kafkajs clients made inside a test. */
export function testKafkaSasl(principal: KafkaPrincipal): KafkaSasl & { mechanism: 'scram-sha-512' } {
  const username = principalName(principal);
  return { mechanism: 'scram-sha-512', username, password: fs.readFileSync(path.join(kafkaSecretsDir(), `${username}.password`), 'utf8').trim() };
}

/** Replication of the fixed topics: 1 on the single test broker, 3 with min.insync.replicas 2 on the cluster. */
export type TestKafkaDurability = { replicationFactor: number; minInsyncReplicas: number };

/** As the admin principal: every role's ACLs on topics `<prefix>.*` and the fixed topics (once per test stack); `ssl` for a SASL_SSL broker. */
export async function provisionTestKafka(
  prefix: string,
  brokers = process.env.KAFKA_BROKERS ?? `127.0.0.1:${testKafkaPort()}`,
  durability: TestKafkaDurability = { replicationFactor: 1, minInsyncReplicas: 1 },
  ssl?: KafkaTls,
): Promise<void> {
  const options: KafkaOptions = {
    brokers: brokers.split(','),
    clientId: `provision-${prefix}`,
    sasl: testKafkaSasl('admin'),
    ...(ssl ? { ssl } : {}),
    topicPrefix: prefix,
    defaultPartitions: 6,
    defaultReplicationFactor: durability.replicationFactor,
    defaultMinInsyncReplicas: durability.minInsyncReplicas,
    producerRetryTimeMs: 30000,
    sessionTimeoutMs: 10000,
  };
  await provisionKafka(options);
}

