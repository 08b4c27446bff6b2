import type { ModuleMetadata, Type } from '@nestjs/common';
import { FailedMessagePayloadValidator } from './payload-validator.port';

export interface FailedMessagesOptions {
  /**
   * Only for a process without OperatorsModule of its own (tests, the dispatcher): admin service tokens and the
   * name each is audited under, `{ [token]: operatorName }`; imports OperatorsModule with them. Apps that sign
   * operators in import OperatorsModule.forRoot(readOperatorsOptions(...)) themselves and leave this out.
   */
  operators?: Record<string, string>;
  /** Run the dead-letter consumer (group `korpu-failed-messages` on `topics.deadLetter`) in this process. */
  consumer: boolean;
  /** Serve the admin HTTP API (`/v1/admin/failed-messages`); default true. */
  http?: boolean;
  /**
   * Validates edited payloads against the schema registry, e.g. `RegistryPayloadValidator` from @korpu/exchange.
   * Absent: edits are refused with EDIT_VALIDATION_UNAVAILABLE.
   */
  validator?: Type<FailedMessagePayloadValidator>;
  /** Modules the validator's dependencies come from, when they are not global. */
  imports?: ModuleMetadata['imports'];
  /** Most messages one bulk replay may publish (default 500, at most 10,000). */
  bulkReplayCap?: number;
  /** Durable bulk-replay jobs and the retention purge (`readReplayJobOptions`); defaults when absent, no worker. */
  jobs?: ReplayJobOptions;
}

/** How bulk-replay jobs run, how fast per partner, and how long closed messages are kept. */
export interface ReplayJobOptions {
  /** Run the job worker (and the scheduled purge) in this process. */
  worker: boolean;
  /** Who holds a job's lease: unique per process (e.g. INSTANCE_ID). */
  owner: string;
  /** Messages claimed and published per batch. */
  batchSize: number;
  /** A job whose worker has not renewed its lease for this long is taken over by another worker. */
  leaseMs: number;
  /** How often an idle worker looks for a runnable job. */
  pollMs: number;
  /** Messages per second sent to a partner that `ratePerPartner` does not name. */
  defaultRate: number;
  /** Messages per second per partner id (e.g. a partner that just recovered). */
  ratePerPartner: Record<string, number>;
  /** Resolved (and archived) messages are purged this many days after they were closed. */
  resolvedRetentionDays: number;
  /** Discarded messages are purged (and can be restored until then) this many days after they were discarded. */
  discardedRetentionDays: number;
  /** How often the worker runs the purge; 0: never (the admin API can still run it). */
  purgeIntervalMs: number;
}

export const FAILED_MESSAGES_OPTIONS = Symbol('FAILED_MESSAGES_OPTIONS');

export const DEFAULT_BULK_REPLAY_CAP = 500;
export const MAX_BULK_REPLAY_CAP = 10_000;
