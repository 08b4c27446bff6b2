import { ConfigException, EnvReader } from '@korpu/config';
import { readKafkaOptions } from './kafka.config';

const SECRET = 'Zq8sSecretValue';
const files: Record<string, string> = { '/run/secrets/kafka': `${SECRET}\n`, '/run/secrets/empty': '' };
const readFile = (file: string): string => {
  if (file in files) return files[file];
  throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
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
    const { options, done } = read({ KAFKA_PROFILE: 'production' });
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
