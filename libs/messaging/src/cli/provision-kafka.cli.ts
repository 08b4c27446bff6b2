/**
 * Kafka provisioning, run with the admin principal before the apps start (deploy/local/kafka.sh provision PREFIX):
 * the ACLs of every app role on topics KAFKA_TOPIC_PREFIX.* and the fixed topics. Reads the same variables as the
 * apps (KAFKA_BROKERS, KAFKA_TOPIC_PREFIX, KAFKA_TOPIC_PARTITIONS, KAFKA_PROFILE, KAFKA_REPLICATION_FACTOR,
 * KAFKA_MIN_INSYNC_REPLICAS, KAFKA_SASL_*) and creates the fixed topics with that durability; prints what it did, no secret.
 */
import { EnvReader } from '@korpu/config';
import { readKafkaOptions } from '../kafka.config';
import { provisionKafka } from '../kafka-access.adapter';

async function main(): Promise<void> {
  const read = new EnvReader(process.env);
  const options = readKafkaOptions(read, 'korpu-provisioning');
  read.done();
  const result = await provisionKafka(options);
  const created = result.createdTopics.length ? `created ${result.createdTopics.join(', ')}` : 'fixed topics already there';
  process.stdout.write(`Kafka provisioned for prefix ${result.prefix}: ${result.acls} ACLs; ${created}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
