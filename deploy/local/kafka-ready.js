// Exits 0 when the broker at argv[2] answers a metadata request from the principal argv[3], whose password is in
// the file argv[4] (SASL SCRAM-SHA-512); used by kafka.sh to wait for readiness. Prints nothing about credentials.
const fs = require('node:fs');
const { Kafka, logLevel } = require('kafkajs');
const [broker, username, passwordFile] = process.argv.slice(2);
const sasl = username ? { mechanism: 'scram-sha-512', username, password: fs.readFileSync(passwordFile, 'utf8').trim() } : undefined;
const kafka = new Kafka({ brokers: [broker], sasl, logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 1000, authenticationTimeout: 2000 });
const admin = kafka.admin();
admin.connect()
  .then(() => admin.describeCluster())
  .then((cluster) => admin.disconnect().then(() => process.exit(cluster.brokers.length > 0 ? 0 : 1)))
  .catch(() => process.exit(1));
