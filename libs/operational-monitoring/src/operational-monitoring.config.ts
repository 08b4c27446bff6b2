import { EnvReader } from '@korpu/config';
import { OperationalMonitoringOptions } from './operational-monitoring.options';

/**
 * Reads the operational records' settings once, at boot (errors name the variable):
 *   OPERATIONAL_RECORDS_RETENTION_DAYS (30, 1..3650), OPERATIONAL_RECORDS_PURGE_INTERVAL_MS (3600000, 0: off),
 *   OPERATIONAL_RECORDS_PURGE_BATCH (5000), OPERATIONAL_RECORDS_BATCH_SIZE (200, at most 1000),
 *   OPERATIONAL_RECORDS_FLUSH_MS (250), OPERATIONAL_RECORDS_MAX_QUEUED (20000).
 */
export function readOperationalMonitoringOptions(read: EnvReader, app: string, instanceId: string): OperationalMonitoringOptions {
  return {
    app,
    instanceId,
    retentionDays: read.int('OPERATIONAL_RECORDS_RETENTION_DAYS', 30, { min: 1, max: 3650 }),
    purgeIntervalMs: read.int('OPERATIONAL_RECORDS_PURGE_INTERVAL_MS', 3_600_000, { min: 0, max: 86_400_000 }),
    purgeBatch: read.int('OPERATIONAL_RECORDS_PURGE_BATCH', 5000, { min: 1, max: 100_000 }),
    // 28 columns a row: 1000 rows stay far below PostgreSQL's 65535 parameters of one statement.
    batchSize: read.int('OPERATIONAL_RECORDS_BATCH_SIZE', 200, { min: 1, max: 1000 }),
    flushMs: read.int('OPERATIONAL_RECORDS_FLUSH_MS', 250, { min: 1, max: 60_000 }),
    maxQueued: read.int('OPERATIONAL_RECORDS_MAX_QUEUED', 20_000, { min: 1, max: 1_000_000 }),
  };
}

/** The defaults, for tests and processes that set nothing. */
export function defaultOperationalMonitoringOptions(app: string, instanceId = 'test'): OperationalMonitoringOptions {
  return readOperationalMonitoringOptions(new EnvReader({}), app, instanceId);
}
