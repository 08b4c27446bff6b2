export const OPERATIONAL_MONITORING_OPTIONS = Symbol('OPERATIONAL_MONITORING_OPTIONS');

/** Retention of operational records (read by readOperationalMonitoringOptions). */
export interface OperationalRetentionOptions {
  /** OPERATIONAL_RECORDS_RETENTION_DAYS (30): records whose exchange began longer ago are purged. */
  retentionDays: number;
  /** OPERATIONAL_RECORDS_PURGE_INTERVAL_MS (3600000; 0: this process does not purge). */
  purgeIntervalMs: number;
  /** OPERATIONAL_RECORDS_PURGE_BATCH (5000): rows deleted per statement. */
  purgeBatch: number;
}

export interface OperationalMonitoringOptions extends OperationalRetentionOptions {
  /** Which app writes the records (X-Road's securityServerType, in our terms): dispatcher, partner-endpoint. */
  app: string;
  /** INSTANCE_ID of the process. */
  instanceId: string;
  /** OPERATIONAL_RECORDS_BATCH_SIZE (200): records per INSERT. */
  batchSize: number;
  /** OPERATIONAL_RECORDS_FLUSH_MS (250): how long a record waits for others before its batch is written. */
  flushMs: number;
  /** OPERATIONAL_RECORDS_MAX_QUEUED (20000): records waiting beyond it are dropped and counted. */
  maxQueued: number;
}

export interface OperationalMonitoringModuleOptions {
  options: OperationalMonitoringOptions;
  /** Serve GET /v1/admin/operational-records (the gateway's admin listener). */
  http?: boolean;
  /** Run the periodic retention purge in this process (one app is enough: the gateway). */
  purge?: boolean;
}
