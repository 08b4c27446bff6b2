import { ConfigException, EnvReader } from '@korpu/config';
import { readOperationalMonitoringOptions } from './operational-monitoring.config';

const read = (env: Record<string, string>) => {
  const reader = new EnvReader(env);
  const options = readOperationalMonitoringOptions(reader, 'dispatcher', 'd-1');
  reader.done();
  return options;
};

describe('readOperationalMonitoringOptions', () => {
  it('keeps records 30 days by default, purging hourly, and writes batches of 200 within 250 ms', () => {
    expect(read({})).toEqual({
      app: 'dispatcher',
      instanceId: 'd-1',
      retentionDays: 30,
      purgeIntervalMs: 3_600_000,
      purgeBatch: 5000,
      batchSize: 200,
      flushMs: 250,
      maxQueued: 20_000,
    });
    expect(read({ OPERATIONAL_RECORDS_RETENTION_DAYS: '90', OPERATIONAL_RECORDS_PURGE_INTERVAL_MS: '0' })).toMatchObject({ retentionDays: 90, purgeIntervalMs: 0 });
  });

  it('names each bad variable with its allowed range', () => {
    let error: unknown;
    try {
      read({ OPERATIONAL_RECORDS_RETENTION_DAYS: '0', OPERATIONAL_RECORDS_BATCH_SIZE: '5000', OPERATIONAL_RECORDS_FLUSH_MS: 'soon' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigException);
    const message = (error as Error).message;
    expect(message).toContain('OPERATIONAL_RECORDS_RETENTION_DAYS must be an integer from 1 to 3650');
    expect(message).toContain('OPERATIONAL_RECORDS_BATCH_SIZE must be an integer from 1 to 1000');
    expect(message).toContain('OPERATIONAL_RECORDS_FLUSH_MS');
  });
});
