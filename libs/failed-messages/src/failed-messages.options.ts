import type { ModuleMetadata, Type } from '@nestjs/common';
import { FailedMessagePayloadValidator } from './payload-validator.port';

export interface FailedMessagesOptions {
  /** Operator bearer tokens and the name each is audited under: `{ [token]: operatorName }`. Empty: the API refuses everyone. */
  operators: Record<string, string>;
  /** Run the dead-letter consumer (group `korpu-failed-messages` on `topics.deadLetter`) in this process. */
  consumer: boolean;
  /** Serve the admin HTTP API (`/v1/admin/failed-messages`, `/v1/admin/audit`); default true. */
  http?: boolean;
  /**
   * Validates edited payloads against the schema registry, e.g. `RegistryPayloadValidator` from @korpu/exchange.
   * Absent: edits are refused with EDIT_VALIDATION_UNAVAILABLE.
   */
  validator?: Type<FailedMessagePayloadValidator>;
  /** Modules the validator's dependencies come from, when they are not global. */
  imports?: ModuleMetadata['imports'];
  /** Operators who see payloads unmasked (PersonalDataInterceptor); absent: every operator. */
  unmaskOperators?: string[];
  /** Most messages one bulk replay may publish (default 500, at most 10,000). */
  bulkReplayCap?: number;
}

export const FAILED_MESSAGES_OPTIONS = Symbol('FAILED_MESSAGES_OPTIONS');

export const DEFAULT_BULK_REPLAY_CAP = 500;
export const MAX_BULK_REPLAY_CAP = 10_000;
