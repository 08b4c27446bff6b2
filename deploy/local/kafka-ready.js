// Exits 0 when the broker(s) at argv[2] (host:port, or a comma-separated list) answer a metadata request from the
// principal argv[3], whose password is in the file argv[4] (SASL SCRAM-SHA-512); used by kafka.sh to wait for
// readiness. argv[5] (optional): how many brokers must be registered (default 1). argv[6] = `in-sync` (optional):
// also every partition of every topic must have all its replicas in sync. Prints nothing about credentials.
// A SASL_SSL listener (KAFKA_TLS=1): KAFKA_SSL=true with KAFKA_SSL_CA_FILE (and KAFKA_SSL_CERT_FILE + KAFKA_SSL_KEY_FILE
// when the broker requires client certificates), as kafka.sh passes them; the broker's certificate is verified.
const fs = require('node:fs');
const { Kafka, logLevel } = require('kafkajs');
const [broker, username, passwordFile, minBrokers = '1', mode] = process.argv.slice(2);
const sasl = username ? { mechanism: 'scram-sha-512', username, password: fs.readFileSync(passwordFile, 'utf8').trim() } : undefined;
const env = process.env;
const ssl = env.KAFKA_SSL === 'true'
  ? { ca: [fs.readFileSync(env.KAFKA_SSL_CA_FILE)], rejectUnauthorized: true, ...(env.KAFKA_SSL_CERT_FILE ? { cert: fs.readFileSync(env.KAFKA_SSL_CERT_FILE), key: fs.readFileSync(env.KAFKA_SSL_KEY_FILE) } : {}) }
  : undefined;
const kafka = new Kafka({ brokers: broker.split(','), sasl, ssl, logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 1000, authenticationTimeout: 2000 });
const admin = kafka.admin();

async function probe() {
  const cluster = await admin.describeCluster();
  if (cluster.brokers.length < Number(minBrokers)) return false;
  if (mode !== 'in-sync') return true;
  const { topics } = await admin.fetchTopicMetadata();
  return topics.every((topic) => topic.partitions.every((p) => p.leader >= 0 && p.isr.length === p.replicas.length));
}

admin.connect()
  .then(probe)
  .then((ok) => admin.disconnect().then(() => process.exit(ok ? 0 : 1)))
  .catch(() => process.exit(1));
