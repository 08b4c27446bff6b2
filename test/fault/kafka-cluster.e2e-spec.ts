import * as fs from 'node:fs';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { ensureTestKafkaCluster, killTestKafkaClusterNode, restartTestKafkaClusterNode, stopAllApps, testKafkaSasl } from '@korpu/testing';
import { Stack, startStack } from '../support/stack';
import { fastRetryContracts, runLoad, sleep } from '../support/load';

/**
 * The fault test on a replicated Kafka: a three-node KRaft cluster (deploy/local/kafka.sh cluster, ports from
 * TEST_KAFKA_CLUSTER_PORT), topics created with KAFKA_PROFILE=production (replication factor 3, min.insync.replicas 2),
 * the gateway producing with acks=all. Under steady load one broker is SIGKILLed and restarted, then another: every
 * write acknowledged by two replicas survives the loss of either, so nothing accepted may be lost, and nothing is sent
 * twice (no dispatcher dies).
 */
const SCENARIO = 'three-broker cluster, one broker SIGKILLed and restarted, then another, under load';

let stack: Stack | undefined;
let contractsDir: string;
let brokers: string;

beforeAll(async () => {
  contractsDir = fastRetryContracts();
  // Left running for the next test file (test/fault/multi-instance); the global teardown stops it.
  ({ brokers } = await ensureTestKafkaCluster());
}, 180000);

afterAll(async () => {
  await stack?.stop();
  await stopAllApps();
  fs.rmSync(contractsDir, { recursive: true, force: true });
}, 120000);

/** Replication factor of each partition and min.insync.replicas of a topic, as the cluster reports them. */
async function durabilityOf(topic: string): Promise<{ replicas: number[]; minInsync: string | undefined }> {
  const admin = new Kafka({ clientId: 'cluster-durability', brokers: brokers.split(','), sasl: testKafkaSasl('admin'), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    const configs = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['min.insync.replicas'] }], includeSynonyms: false });
    return { replicas: metadata.partitions.map((p) => p.replicas.length), minInsync: configs.resources[0].configEntries[0]?.configValue };
  } finally {
    await admin.disconnect();
  }
}

describe('fault tolerance on a three-broker Kafka cluster', () => {
  it('loses and duplicates nothing when one broker is killed and restarted, then another', async () => {
    const running = await startStack({ contractsDir, dispatchers: 1, kafka: { brokers, profile: 'production' } });
    stack = running;
    const killAndRestart = async (node: number) => {
      await killTestKafkaClusterNode(node);
      await sleep(3000);
      // Back, and every partition fully in sync again, before the next broker goes: min.insync.replicas 2 of 3.
      await restartTestKafkaClusterNode(node);
    };
    const report = await runLoad(running, {
      scenario: SCENARIO,
      messages: 360,
      ratePerSecond: 15,
      faultAfter: 45,
      fault: async () => {
        await killAndRestart(1);
        await killAndRestart(2);
      },
    });
    if (report.lost > 0) {
      for (const app of [running.gateway, ...running.dispatchers]) process.stdout.write(`--- ${app.name}\n${app.output().slice(-6000)}\n`);
    }
    // KAFKA_PROFILE=production: the topics the apps created are replicated to all three brokers, two must acknowledge.
    for (const topic of [`${running.env.KAFKA_TOPIC_PREFIX}.outbound.tax-service`, `${running.env.KAFKA_TOPIC_PREFIX}.replies`]) {
      const durability = await durabilityOf(topic);
      expect(durability.replicas.every((count) => count === 3)).toBe(true);
      expect(durability.minInsync).toBe('2');
    }
    expect(report.lostIds).toEqual([]);
    expect(report.lost).toBe(0);
    expect(report.delivered).toBe(report.accepted);
    expect(report.accepted).toBe(360);
    expect(report.duplicated).toBe(0);
  }, 300000);
});
