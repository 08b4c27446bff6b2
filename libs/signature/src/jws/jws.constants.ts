/** HTTP header carrying the detached JWS over a REST request or response body. */
export const JWS_SIGNATURE_HEADER = 'x-korpu-signature';

/** Protected-header parameters binding a JWS to one HTTP exchange. */
export const JwsParam = {
  METHOD: 'korpu:method',
  PATH: 'korpu:path',
  MESSAGE_ID: 'korpu:mid',
  STATUS: 'korpu:status',
} as const;

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
}
