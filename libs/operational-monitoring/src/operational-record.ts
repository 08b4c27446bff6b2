/**
 * One operational record per exchange, after X-Road's operational monitoring data (requestInTs, requestOutTs,
 * responseInTs, responseOutTs, succeeded, faultCode, requestSize, responseSize, securityServerType...), with the
 * hops Körpü has in between (Kafka, the dispatcher). Metadata only: never a payload, never the user id.
 */
export const OperationalResult = {
  /** The partner (outbound) or the subsystem (inbound) answered and the answer was accepted. */
  SUCCEEDED: 'succeeded',
  /** This attempt failed and the message is retried. */
  FAILED: 'failed',
  /** Given up: the message is in the dead-letter topic (outbound) or the caller got a fault (inbound). */
  DEAD_LETTERED: 'dead-lettered',
  /**
   * Refused before anything was queued, with a stable code (schema, access, message type, an id held by another
   * caller): the caller was identified, nothing was sent. Refusals of callers not identified are not records (they
   * are counted in korpu_inbound_refusals_total and the message log's bounded refusal entries).
   */
  REFUSED: 'refused',
} as const;
export type OperationalResult = (typeof OperationalResult)[keyof typeof OperationalResult];
export const OPERATIONAL_RESULTS: readonly OperationalResult[] = Object.values(OperationalResult);

export type ExchangeDirection = 'outbound' | 'inbound';

/** The instant of each hop, ISO-8601; a hop the exchange did not pass through is absent. */
export interface ExchangeHops {
  /** Accepted at the gateway (outbound: the envelope's createdAt) or at the partner endpoint (inbound). X-Road requestInTs. */
  requestInAt: string;
  /** Kafka holds the request (the record's broker timestamp outbound; after the produce inbound). */
  requestQueuedAt?: string;
  /** The dispatcher took the record from Kafka. */
  requestPickedAt?: string;
  /** The request left for the partner. X-Road requestOutTs. */
  requestOutAt?: string;
  /** The partner's (or the subsystem's) reply came in. X-Road responseInTs. */
  responseInAt?: string;
  /** The reply or the status was written and published (outbound), the answer sent to the caller (inbound). X-Road responseOutTs. */
  responseOutAt?: string;
}

/** Durations between hops, in milliseconds, derived from ExchangeHops (absent where a hop is missing). */
export interface ExchangeDurations {
  /** requestIn → requestQueued: gateway checks, claim and produce. */
  acceptMs?: number;
  /** requestQueued → requestPicked: waiting in Kafka. */
  queueMs?: number;
  /** requestPicked → requestOut: access re-check, status, signing. */
  prepareMs?: number;
  /** requestOut → responseIn: the partner's (or subsystem's) share. */
  partnerMs?: number;
  /** responseIn → responseOut: verification, schema, log, status, publish. */
  replyMs?: number;
  /** requestIn → responseOut. */
  totalMs?: number;
}

export interface ReplySigner {
  subject: string;
  serialNumber: string;
  issuer: string;
}

/** What a use case knows at the end of an exchange; the recorder adds id, app and instance. */
export interface OperationalRecordInput {
  direction: ExchangeDirection;
  client: string;
  /** partner/operation */
  service: string;
  messageId: string;
  correlationId: string;
  replyMessageId?: string;
  messageType?: string;
  attempt: number;
  /** Bytes of the request's payload (UTF-8). X-Road requestSize. */
  requestSize: number;
  /** Bytes of the reply's payload, when there was one. X-Road responseSize. */
  responseSize?: number;
  hops: ExchangeHops;
  result: OperationalResult;
  /** The stable error code of a failed or dead-lettered exchange. X-Road faultCode. */
  errorCode?: string;
  signer?: ReplySigner;
}

export interface OperationalRecord extends OperationalRecordInput {
  id: string;
  partner: string;
  operation: string;
  durations: ExchangeDurations;
  /** Which app wrote it (dispatcher, partner-endpoint). X-Road securityServerType. */
  app: string;
  instanceId: string;
  recordedAt?: string;
}

export interface OperationalRecordFilter {
  client?: string;
  service?: string;
  /** Every service of one partner. */
  partner?: string;
  direction?: ExchangeDirection;
  result?: OperationalResult[];
  errorCode?: string;
  messageId?: string;
  correlationId?: string;
  /** requestInAt from (inclusive) / to (exclusive). */
  from?: Date;
  to?: Date;
}

/** Where a page ended: the newest-first order is (requestInAt DESC, id DESC). */
export interface OperationalRecordCursor {
  requestInAt: string;
  id: string;
}

export interface OperationalRecordPage {
  items: OperationalRecord[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

export function encodeCursor(cursor: OperationalRecordCursor): string {
  return Buffer.from(JSON.stringify(['op1', cursor.requestInAt, cursor.id]), 'utf8').toString('base64url');
}

/** Undefined when the cursor is not one this API issued. */
export function decodeCursor(value: string): OperationalRecordCursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== 'op1') return undefined;
    const [, requestInAt, id] = parsed as [string, unknown, unknown];
    if (typeof requestInAt !== 'string' || typeof id !== 'string' || id.length > 100) return undefined;
    if (Number.isNaN(Date.parse(requestInAt))) return undefined;
    return { requestInAt: new Date(requestInAt).toISOString(), id };
  } catch {
    return undefined;
  }
}
