import { ConfigException, EnvReader } from '@korpu/config';
import { readReplayJobOptions } from './failed-messages.config';

const read = (env: Record<string, string>) => {
  const reader = new EnvReader(env);
  const options = readReplayJobOptions(reader, 'gw-1');
  reader.done();
  return options;
};

describe('readReplayJobOptions', () => {
  it('reads the per-partner rates and the defaults', () => {
    expect(read({ REPLAY_RATE_PER_PARTNER: 'tax-service=20, population-registry=5' })).toMatchObject({
      worker: true,
      owner: 'gw-1',
      batchSize: 100,
      defaultRate: 100,
      ratePerPartner: { 'tax-service': 20, 'population-registry': 5 },
      resolvedRetentionDays: 30,
      discardedRetentionDays: 30,
    });
  });

  it('names each bad variable', () => {
    let error: unknown;
    try {
      read({ REPLAY_RATE_PER_PARTNER: 'tax-service=fast,Bad Partner=3', REPLAY_BATCH_SIZE: '0', FAILED_RETENTION_DISCARDED_DAYS: 'x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigException);
    const problems = (error as ConfigException).problems.join('\n');
    expect(problems).toMatch(/REPLAY_RATE_PER_PARTNER for tax-service must be an integer/);
    expect(problems).toMatch(/REPLAY_RATE_PER_PARTNER names "Bad Partner"/);
    expect(problems).toMatch(/REPLAY_BATCH_SIZE/);
    expect(problems).toMatch(/FAILED_RETENTION_DISCARDED_DAYS/);
  });
});
