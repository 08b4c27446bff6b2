import type { Type } from '@nestjs/common';
import type { InboundMetaservices } from './admission/inbound-metaservices.port';

export const INBOUND_OPTIONS = Symbol('INBOUND_OPTIONS');

/** How callback delivery retries a subsystem's temporary failures (connection refused/reset, timeout, 5xx). */
export interface CallbackRetryPolicy {
  /** Attempts in all, the first included (default 3). */
  attempts: number;
  /** Wait before the second attempt; doubled for each further one (default 100 ms). */
  initialDelayMs: number;
  /** Longest wait between two attempts (default 1000 ms). */
  maxDelayMs: number;
}

export const DEFAULT_CALLBACK_RETRY: CallbackRetryPolicy = { attempts: 3, initialDelayMs: 100, maxDelayMs: 1000 };

export interface InboundOptions {
  /** Folder of services.json and the ministry's WSDL (contracts/ministry). */
  directory: string;
  /** owner subsystem → callback URL. Owners not listed consume `inbound(owner)` themselves. */
  callbacks?: Record<string, string>;
  callbackTimeoutMs?: number;
  /**
   * How long the partner waits for the reply (the partner endpoint's reply timeout): callback delivery retries
   * only while a retry can still answer within it, counted from the request's createdAt (default 10000 ms).
   */
  replyTimeoutMs?: number;
  callbackRetry?: Partial<CallbackRetryPolicy>;
  /** Consumer group of callback delivery (default `<topic prefix>-inbound-callbacks`). */
  callbackGroupId?: string;
  /** `required`: refuse callers without a TLS client certificate; `optional` (default): identify them by signature alone. */
  tlsClientCertificate?: 'optional' | 'required';
  /** Refusals written to the message log per source address and minute; beyond that only counted (default 60). */
  refusalLogPerMinute?: number;
  /** X-Road's metaservices (a provider of a global module, e.g. PartnerMetaservices of @korpu/metaservices); absent: none. */
  metaservices?: Type<InboundMetaservices>;
}
