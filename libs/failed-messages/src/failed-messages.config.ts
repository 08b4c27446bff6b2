import { EnvReader } from '@korpu/config';
import { FailedMessagesOptions, ReplayJobOptions } from './failed-messages.options';

const PARTNER_ID = /^[a-z0-9][a-z0-9-]{0,99}$/;

/**
 * Reads the bulk-replay and retention settings once, at boot:
 *   REPLAY_WORKER (true), REPLAY_BATCH_SIZE (100), REPLAY_LEASE_MS (30000), REPLAY_POLL_MS (1000),
 *   REPLAY_RATE_DEFAULT (messages/s per partner, 100), REPLAY_RATE_PER_PARTNER (`tax-service=20,population-registry=5`),
 *   FAILED_RETENTION_RESOLVED_DAYS (30), FAILED_RETENTION_DISCARDED_DAYS (30), FAILED_PURGE_INTERVAL_MS (3600000, 0: off).
 */
export function readReplayJobOptions(read: EnvReader, owner: string): ReplayJobOptions {
  const ratePerPartner: Record<string, number> = {};
  for (const [partner, raw] of Object.entries(read.map('REPLAY_RATE_PER_PARTNER'))) {
    const rate = Number(raw);
    if (!PARTNER_ID.test(partner)) read.problem(`REPLAY_RATE_PER_PARTNER names "${partner}", which is not a partner id`);
    else if (!Number.isInteger(rate) || rate < 1 || rate > 100_000) {
      read.problem(`REPLAY_RATE_PER_PARTNER for ${partner} must be an integer from 1 to 100000 (messages per second), got "${raw}"`);
    } else ratePerPartner[partner] = rate;
  }
  return {
    worker: read.bool('REPLAY_WORKER', true),
    owner,
    batchSize: read.int('REPLAY_BATCH_SIZE', 100, { min: 1, max: 1000 }),
    leaseMs: read.int('REPLAY_LEASE_MS', 30_000, { min: 1000, max: 3_600_000 }),
    pollMs: read.int('REPLAY_POLL_MS', 1000, { min: 50, max: 60_000 }),
    defaultRate: read.int('REPLAY_RATE_DEFAULT', 100, { min: 1, max: 100_000 }),
    ratePerPartner,
    resolvedRetentionDays: read.int('FAILED_RETENTION_RESOLVED_DAYS', 30, { min: 1, max: 3650 }),
    discardedRetentionDays: read.int('FAILED_RETENTION_DISCARDED_DAYS', 30, { min: 1, max: 3650 }),
    purgeIntervalMs: read.int('FAILED_PURGE_INTERVAL_MS', 3_600_000, { min: 0, max: 86_400_000 }),
  };
}

/** The settings of a process that runs no worker (e.g. tests of the API alone). */
export function defaultReplayJobOptions(owner = 'no-worker'): ReplayJobOptions {
  return readReplayJobOptions(new EnvReader({ REPLAY_WORKER: 'false' }), owner);
}

/** The job settings of the module's options, or those of a process without a worker. */
export function replayJobOptionsOf(options: Pick<FailedMessagesOptions, 'jobs'>): ReplayJobOptions {
  return options.jobs ?? defaultReplayJobOptions();
}
