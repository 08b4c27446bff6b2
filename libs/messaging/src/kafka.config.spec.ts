import { generateKeyPairSync } from 'node:crypto';
import { ConfigException, EnvReader } from '@korpu/config';
import { readKafkaOptions } from './kafka.config';

const SECRET = 'Zq8sSecretValue';
const CA = '-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n';
const CLIENT_CERT = '-----BEGIN CERTIFICATE-----\nMIIBclient\n-----END CERTIFICATE-----\n';
// A key made for this run (none is kept in the repository); a line of its body must never appear in an error.
const CLIENT_KEY = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const KEY_SECRET = CLIENT_KEY.split('\n')[1];
const files: Record<string, string> = {
  '/run/secrets/kafka': `${SECRET}\n`,
  '/run/secrets/empty': '',
  '/etc/korpu/kafka/ca.crt': CA,
  '/etc/korpu/kafka/client.crt': CLIENT_CERT,
  '/etc/korpu/kafka/client.key': CLIENT_KEY,
  '/etc/korpu/kafka/not-pem.txt': `${KEY_SECRET}\n`,
};
const unreadable: Record<string, string> = { '/etc/korpu/kafka/locked.crt': 'EACCES' };
const readFile = (file: string): string => {
  if (file in files) return files[file];
  const code = unreadable[file] ?? 'ENOENT';
  throw Object.assign(new Error(`${code}: ${file}`), { code });
};

function read(env: Record<string, string>) {
  const reader = new EnvReader(env);
  const options = readKafkaOptions(reader, 'test-client', readFile);
  return { options, done: () => reader.done() };
}

function problems(env: Record<string, string>): string {
  try {
    read(env).done();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigException);
    return (error as ConfigException).problems.join('\n');
  }
  throw new Error('expected a configuration error');
}

describe('readKafkaOptions: SASL credentials', () => {
  it('connects without SASL when no Kafka credential variable is set', () => {
    const { options, done } = read({});
    done();
    expect(options.sasl).toBeUndefined();
  });

  it('reads the password from KAFKA_SASL_PASSWORD_FILE, defaulting to SCRAM-SHA-512, without the trailing newline', () => {
    const { options, done } = read({ KAFKA_SASL_USERNAME: 'korpu-gateway', KAFKA_SASL_PASSWORD_FILE: '/run/secrets/kafka' });
    done();
    expect(options.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'korpu-gateway', password: SECRET });
  });

  it('takes Kafka mechanism names and an inline password', () => {
    const { options } = read({ KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' });
    expect(options.sasl).toEqual({ mechanism: 'scram-sha-256', username: 'u', password: 'p' });
  });

  it('names the missing username and password variables', () => {
    const text = problems({ KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512' });
    expect(text).toContain('KAFKA_SASL_USERNAME is required');
    expect(text).toContain('KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE is required');
  });

  it('refuses both password variables at once, and never echoes the password', () => {
    const text = problems({ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: SECRET, KAFKA_SASL_PASSWORD_FILE: '/run/secrets/kafka' });
    expect(text).toContain('only one of KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE');
    expect(text).not.toContain(SECRET);
  });

  it('names an unreadable or empty password file', () => {
    expect(problems({ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD_FILE: '/nowhere' })).toMatch(/KAFKA_SASL_PASSWORD_FILE cannot be read \(\/nowhere: ENOENT\)/);
    expect(problems({ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD_FILE: '/run/secrets/empty' })).toContain('KAFKA_SASL_PASSWORD_FILE names an empty file');
  });

  it('refuses an unknown mechanism, and credentials with NONE', () => {
    expect(problems({ KAFKA_SASL_MECHANISM: 'GSSAPI', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: SECRET })).toContain('KAFKA_SASL_MECHANISM must be one of');
    const none = problems({ KAFKA_SASL_MECHANISM: 'NONE', KAFKA_SASL_PASSWORD: SECRET });
    expect(none).toContain('KAFKA_SASL_MECHANISM=NONE');
    expect(none).not.toContain(SECRET);
  });
});

describe('readKafkaOptions: durability of the topics created', () => {
  it('states one local broker by default: replication factor 1 and min.insync.replicas 1', () => {
    const { options, done } = read({});
    done();
    expect(options).toMatchObject({ defaultReplicationFactor: 1, defaultMinInsyncReplicas: 1 });
  });

  it('takes KAFKA_MIN_INSYNC_REPLICAS and KAFKA_REPLICATION_FACTOR in the local profile', () => {
    const { options, done } = read({ KAFKA_REPLICATION_FACTOR: '2', KAFKA_MIN_INSYNC_REPLICAS: '2' });
    done();
    expect(options).toMatchObject({ defaultReplicationFactor: 2, defaultMinInsyncReplicas: 2 });
  });

  it('creates production topics with replication factor 3 and min.insync.replicas 2 unless set', () => {
    const { options, done } = read({ KAFKA_PROFILE: 'production', KAFKA_ALLOW_PLAINTEXT: 'true' });
    done();
    expect(options).toMatchObject({ defaultReplicationFactor: 3, defaultMinInsyncReplicas: 2 });
    expect(read({ KAFKA_PROFILE: 'production', KAFKA_REPLICATION_FACTOR: '5', KAFKA_MIN_INSYNC_REPLICAS: '3' }).options).toMatchObject({
      defaultReplicationFactor: 5,
      defaultMinInsyncReplicas: 3,
    });
  });

  it('refuses to start in production below replication factor 3 or min.insync.replicas 2, naming the variable', () => {
    expect(problems({ KAFKA_PROFILE: 'production', KAFKA_REPLICATION_FACTOR: '2' })).toContain('KAFKA_REPLICATION_FACTOR must be at least 3 with KAFKA_PROFILE=production, got 2');
    expect(problems({ KAFKA_PROFILE: 'production', KAFKA_MIN_INSYNC_REPLICAS: '1' })).toContain('KAFKA_MIN_INSYNC_REPLICAS must be at least 2 with KAFKA_PROFILE=production, got 1');
  });

  it('refuses min.insync.replicas above the replication factor, in which no write could be acknowledged', () => {
    expect(problems({ KAFKA_MIN_INSYNC_REPLICAS: '2' })).toContain('KAFKA_MIN_INSYNC_REPLICAS (2) must not exceed KAFKA_REPLICATION_FACTOR (1)');
  });

  it('refuses an unknown profile', () => {
    expect(problems({ KAFKA_PROFILE: 'prod' })).toContain('KAFKA_PROFILE must be one of local, production, got "prod"');
  });
});

describe('readKafkaOptions: TLS to the brokers (SASL_SSL)', () => {
  const tls = { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: '/etc/korpu/kafka/ca.crt' };

  it('speaks plaintext by default in the local profile', () => {
    const { options, done } = read({});
    done();
    expect(options.ssl).toBeUndefined();
  });

  it('reads the CA bundle named by KAFKA_SSL_CA_FILE', () => {
    const { options, done } = read(tls);
    done();
    expect(options.ssl).toEqual({ ca: CA });
  });

  it('reads a client certificate and key (mutual TLS) and the server name to check', () => {
    const { options, done } = read({ ...tls, KAFKA_SSL_CERT_FILE: '/etc/korpu/kafka/client.crt', KAFKA_SSL_KEY_FILE: '/etc/korpu/kafka/client.key', KAFKA_SSL_SERVERNAME: 'kafka.korpu.internal' });
    done();
    expect(options.ssl).toEqual({ ca: CA, cert: CLIENT_CERT, key: CLIENT_KEY, servername: 'kafka.korpu.internal' });
  });

  it('requires KAFKA_SSL_CA_FILE with KAFKA_SSL=true', () => {
    expect(problems({ KAFKA_SSL: 'true' })).toContain('KAFKA_SSL_CA_FILE is required with KAFKA_SSL=true');
  });

  it('names the variable and the file of an unreadable or missing CA file, and of a file that is not PEM', () => {
    expect(problems({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: '/etc/korpu/kafka/locked.crt' })).toContain('KAFKA_SSL_CA_FILE cannot be read (/etc/korpu/kafka/locked.crt: EACCES)');
    expect(problems({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: '/nowhere/ca.crt' })).toContain('KAFKA_SSL_CA_FILE cannot be read (/nowhere/ca.crt: ENOENT)');
    const text = problems({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: '/etc/korpu/kafka/not-pem.txt' });
    expect(text).toContain('KAFKA_SSL_CA_FILE (/etc/korpu/kafka/not-pem.txt) holds no PEM certificate');
    expect(text).not.toContain(KEY_SECRET);
  });

  it('refuses a client certificate without its key, and a key file that holds no key, never echoing the file', () => {
    expect(problems({ ...tls, KAFKA_SSL_CERT_FILE: '/etc/korpu/kafka/client.crt' })).toContain('KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together');
    const text = problems({ ...tls, KAFKA_SSL_CERT_FILE: '/etc/korpu/kafka/client.crt', KAFKA_SSL_KEY_FILE: '/etc/korpu/kafka/client.crt' });
    expect(text).toContain('KAFKA_SSL_KEY_FILE (/etc/korpu/kafka/client.crt) holds no PEM private key');
    expect(problems({ ...tls, KAFKA_SSL_CERT_FILE: '/etc/korpu/kafka/client.key', KAFKA_SSL_KEY_FILE: '/etc/korpu/kafka/client.key' })).not.toContain(KEY_SECRET);
  });

  it('refuses TLS settings while KAFKA_SSL is not true (a forgotten switch), and a KAFKA_SSL that is not a boolean', () => {
    expect(problems({ KAFKA_SSL_CA_FILE: '/etc/korpu/kafka/ca.crt' })).toContain('KAFKA_SSL_CA_FILE is set but KAFKA_SSL is not true');
    expect(problems({ KAFKA_SSL: 'false', KAFKA_SSL_CA_FILE: '/etc/korpu/kafka/ca.crt', KAFKA_SSL_SERVERNAME: 'k' })).toContain('KAFKA_SSL_CA_FILE, KAFKA_SSL_SERVERNAME are set but KAFKA_SSL is not true');
    expect(problems({ KAFKA_SSL: 'maybe' })).toContain('KAFKA_SSL must be true or false, got "maybe"');
  });

  it('refuses to boot in production without TLS, naming KAFKA_SSL', () => {
    expect(problems({ KAFKA_PROFILE: 'production' })).toContain('KAFKA_SSL=true (with KAFKA_SSL_CA_FILE) is required with KAFKA_PROFILE=production');
    const { options, done } = read({ KAFKA_PROFILE: 'production', ...tls });
    done();
    expect(options.ssl).toEqual({ ca: CA });
  });

  it('boots in production without TLS only with the explicit KAFKA_ALLOW_PLAINTEXT=true, which contradicts KAFKA_SSL=true', () => {
    const { options, done } = read({ KAFKA_PROFILE: 'production', KAFKA_ALLOW_PLAINTEXT: 'true' });
    done();
    expect(options.ssl).toBeUndefined();
    expect(problems({ ...tls, KAFKA_ALLOW_PLAINTEXT: 'true' })).toContain('KAFKA_ALLOW_PLAINTEXT=true contradicts KAFKA_SSL=true');
  });
});

describe('readKafkaOptions: consumer commit cadence', () => {
  it('commits every 250 ms by default, takes KAFKA_CONSUMER_COMMIT_INTERVAL_MS, and 0 for a commit after every batch', () => {
    expect(read({}).options.commitIntervalMs).toBe(250);
    expect(read({ KAFKA_CONSUMER_COMMIT_INTERVAL_MS: '1000' }).options.commitIntervalMs).toBe(1000);
    expect(read({ KAFKA_CONSUMER_COMMIT_INTERVAL_MS: '0' }).options.commitIntervalMs).toBe(0);
  });

  it('refuses an interval beyond 5 s or below 0, naming the variable', () => {
    expect(problems({ KAFKA_CONSUMER_COMMIT_INTERVAL_MS: '60000' })).toContain('KAFKA_CONSUMER_COMMIT_INTERVAL_MS');
    expect(problems({ KAFKA_CONSUMER_COMMIT_INTERVAL_MS: '-1' })).toContain('KAFKA_CONSUMER_COMMIT_INTERVAL_MS');
  });
});
