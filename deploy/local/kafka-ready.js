// Exits 0 when the broker at argv[2] answers a metadata request; used by kafka.sh to wait for readiness.
const { Kafka, logLevel } = require('kafkajs');
const kafka = new Kafka({ brokers: [process.argv[2]], logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 1000 });
const admin = kafka.admin();
admin.connect()
  .then(() => admin.describeCluster())
  .then((cluster) => admin.disconnect().then(() => process.exit(cluster.brokers.length > 0 ? 0 : 1)))
  .catch(() => process.exit(1));
