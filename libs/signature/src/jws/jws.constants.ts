import { createHash } from 'node:crypto';

/** HTTP header carrying the detached JWS over a REST request or response body. */
export const JWS_SIGNATURE_HEADER = 'x-korpu-signature';

/** Protected-header parameters binding a JWS to one HTTP exchange. */
export const JwsParam = {
  METHOD: 'korpu:method',
  PATH: 'korpu:path',
  MESSAGE_ID: 'korpu:mid',
  STATUS: 'korpu:status',
  /** The covered HTTP headers as signed: lower-case name → value (a covered header that was not sent is absent). */
  HEADERS: 'korpu:hdrs',
  /** Response signatures: the hash of the request answered (requestHashOf its JWS), so a reply cannot be moved to another exchange. */
  REQUEST_HASH: 'korpu:rh',
} as const;

/**
 * The HTTP headers a JWS covers when its binding names headers: every X-Road header and what the receiver
 * validates the body against (message type, schema version). Lower case. A covered header added, removed or
 * changed after signing fails verification. Names as in @korpu/adapters XRoadHeader (which depends on this lib).
 */
export const JWS_COVERED_HEADERS = [
  'x-road-client',
  'x-road-service',
  'x-road-id',
  'x-road-userid',
  'x-road-issue',
  'x-korpu-message-type',
  'x-korpu-schema-version',
] as const;

/** HTTP headers as a client sends them or a server receives them (any case; Node gives arrays for repeats). */
export type JwsHeaders = Record<string, string | string[] | number | undefined>;

export type JwsAlgorithm = 'RS256' | 'ES256';
export const DEFAULT_ALLOWED_JWS_ALGORITHMS: JwsAlgorithm[] = ['RS256', 'ES256'];

/** What a detached JWS is bound to besides the body bytes. */
export interface JwsBinding {
  /** HTTP method of the request (also for a response: the request it answers). */
  method: string;
  /** Request target as sent on the wire: path plus query string. */
  path: string;
  /** Körpü message id of the exchange. */
  messageId: string;
  /** HTTP status, for response signatures only. */
  status?: number;
  /**
   * The exchange's HTTP headers. Signing: the covered ones (JWS_COVERED_HEADERS) present here are signed.
   * Verifying: every covered header must be exactly as signed (absent where it was absent). Omitted: headers
   * are neither signed nor checked (the binding of method, path and message id only).
   */
  headers?: JwsHeaders;
  /**
   * Response signatures: `jwsRequestHash(<the request's JWS>)`. Signing: written when given. Verifying: when
   * given, the response must carry exactly this hash (a missing one is a mismatch).
   */
  requestHash?: string;
}

/** What a response JWS binds to its request: base64 SHA-512 of the request's compact JWS (which covers its body and binding). */
export function jwsRequestHash(requestJws: string): string {
  return createHash('sha512').update(requestJws, 'ascii').digest('base64');
}

/** The covered headers of `headers`, lower-cased, repeated values joined with ", " as HTTP folds them. */
export function coveredHeaders(headers: JwsHeaders): Record<string, string> {
  const covered: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (value === undefined || !(JWS_COVERED_HEADERS as readonly string[]).includes(key)) continue;
    covered[key] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return covered;
}
