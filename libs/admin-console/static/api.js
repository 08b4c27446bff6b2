// @ts-check

// ---------------------------------------------------------------------------------------------------------------
// What the admin API answers (/v1/admin/..., JSON): the shapes the console reads, as they travel (instants as
// ISO-8601 text). The API's own types are in libs/failed-messages, libs/operators and libs/access; these follow them.

/** @typedef {'unresolved' | 'replayed' | 'resolved' | 'archived' | 'discarded'} FailedMessageStatus */

/**
 * A row of the failed-message list (GET /v1/admin/failed-messages).
 * @typedef {object} FailedMessageSummary
 * @property {string} messageId
 * @property {string | null} correlationId
 * @property {string | null} client
 * @property {string | null} service
 * @property {string | null} messageType
 * @property {string | null} schemaVersion
 * @property {string | null} originalTopic
 * @property {number} attempts
 * @property {string} errorCode
 * @property {string} errorMessage
 * @property {string} fingerprint the failure group (cause)
 * @property {string} firstFailedAt
 * @property {string} lastFailedAt
 * @property {number} failureCount how many times it reached the dead-letter topic
 * @property {FailedMessageStatus} status
 * @property {string} statusChangedAt
 * @property {string | null} statusChangedBy
 * @property {number} replayCount
 * @property {boolean} edited
 * @property {string | null} partner
 * @property {string | null} editedTo the copy an operator sent instead (edit-and-replay)
 * @property {string | null} discardReason
 */

/**
 * A keyset page of a list: pass `nextCursor` back as `cursor` for the next page (absent on the last).
 * @template T
 * @typedef {object} Page
 * @property {T[]} items
 * @property {string} [nextCursor]
 */

/** @typedef {Page<FailedMessageSummary>} FailedMessagePage */

/**
 * What happened to a failed message (failed, replayed, edited, resolved, discarded, restored...).
 * @typedef {object} FailedMessageEvent
 * @property {string} kind
 * @property {string} at
 * @property {string | null} operator
 * @property {Record<string, unknown>} detail
 */

/**
 * An edit-and-replay: the copy (a new message id) sent instead of the original, and what changed.
 * @typedef {object} StoredEdit
 * @property {string} copyId
 * @property {string} originalId
 * @property {string} at
 * @property {string} operator
 * @property {string | null} reason
 * @property {'json-patch' | 'unified-diff'} diffFormat
 * @property {unknown} diff a JSON Patch array for JSON, unified-diff text for XML
 */

/**
 * One failed message with its record (GET /v1/admin/failed-messages/{id}); personal data masked unless the
 * unmasked view was asked for with a reason.
 * @typedef {FailedMessageSummary & {
 *   contentType: string | null,
 *   key: string | null,
 *   originalPartition: number | null,
 *   originalOffset: string | null,
 *   headers: Record<string, string>,
 *   payload: string,
 *   editedPayload: string | null,
 *   editedAt: string | null,
 *   editedBy: string | null,
 *   lastReplayId: string | null,
 *   lastReplayedAt: string | null,
 *   lastReplayedBy: string | null,
 *   history: FailedMessageEvent[],
 *   editOf?: StoredEdit,
 *   copies: StoredEdit[],
 *   delivery?: { status: string, updatedAt: string, attempts: number, error?: { code: string, message: string } },
 *   traceId?: string,
 * }} FailedMessageDetails
 */

/**
 * A failure group (GET /v1/admin/failed-messages/groups): unresolved messages of one cause.
 * @typedef {object} FailureGroup
 * @property {string} key the fingerprint
 * @property {number} count
 * @property {string[]} errorCodes
 * @property {string} sampleErrorMessage
 * @property {string[]} services
 * @property {string} firstFailedAt
 * @property {string} lastFailedAt
 */

/** @typedef {{ messageId: string, replayId: string, topic: string, force: boolean, edited: boolean, status: FailedMessageStatus }} ReplayResult */
/** @typedef {{ message: FailedMessageSummary, changed: boolean }} ResolveResult */
/** @typedef {{ copy: { messageId: string, editOf: string, topic: string, diffFormat: string, diff: unknown }, warnings: string[] }} EditResult */

/** @typedef {'running' | 'paused' | 'cancelled' | 'completed'} ReplayJobState */

/**
 * A bulk-replay job.
 * @typedef {object} ReplayJob
 * @property {string} id
 * @property {ReplayJobState} state
 * @property {string} createdAt
 * @property {string} createdBy
 * @property {string | null} reason
 * @property {boolean} force
 * @property {number} total messages the job took on
 * @property {Array<{ partner: string, count: number }>} partners
 * @property {string} stateChangedAt
 * @property {string | null} stateChangedBy
 */

/**
 * A job's progress (POST /v1/admin/replay-jobs, GET /v1/admin/replay-jobs/{id}, .../pause|resume|cancel).
 * @typedef {object} ReplayJobProgress
 * @property {ReplayJob} job
 * @property {number} done published to Kafka
 * @property {number} failed
 * @property {number} skipped
 * @property {number} inDoubt
 * @property {number} cancelled
 * @property {number} remaining
 * @property {number} ratePerSecond over the last 30 s
 * @property {number | null} etaSeconds
 * @property {number} percent 0..100
 */

/**
 * What a job would replay (POST /v1/admin/replay-jobs with `preview: true`).
 * @typedef {object} ReplayJobPreview
 * @property {number} matched
 * @property {number} alreadyQueued pending in another job (left to it)
 * @property {Array<{ partner: string, count: number, ratePerSecond: number, seconds: number }>} partners
 * @property {number} estimatedSeconds
 */

/**
 * One entry of the audit trail (GET /v1/admin/audit): who did what, when, to which messages, why.
 * @typedef {object} AuditEntry
 * @property {string} id the cursor
 * @property {number} seq
 * @property {string} at
 * @property {string} operator
 * @property {string} action
 * @property {string[]} messageIds
 * @property {string | null} reason
 * @property {unknown} before
 * @property {unknown} after
 * @property {Record<string, unknown>} detail
 * @property {string} prevHash
 * @property {string} hash
 */

/** @typedef {Page<AuditEntry>} AuditPage */

/**
 * Who is signed in (GET /v1/admin/session) — the console shows only what `permissions` allow.
 * @typedef {object} SessionOperator
 * @property {string} name
 * @property {string[]} roles
 * @property {string[]} permissions e.g. `failed-messages:replay`, `audit:export`
 * @property {'directory' | 'local' | 'service-token'} source
 * @property {string} [sessionId]
 */

/**
 * A new session (POST /v1/admin/session).
 * @typedef {object} SignInResult
 * @property {string} token the bearer token, shown once
 * @property {string} expiresAt
 * @property {string} idleExpiresAt
 * @property {SessionOperator} operator
 */

/**
 * A client's right to call a service (GET /v1/admin/access-rights).
 * @typedef {object} AccessRight
 * @property {string} clientId
 * @property {string} service
 * @property {string} grantedAt
 * @property {string} grantedBy
 * @property {string} [revokedAt]
 * @property {string} [revokedBy]
 */

/**
 * An RFC 9457 problem (application/problem+json), with Körpü's stable code and any itemised reasons.
 * @typedef {object} Problem
 * @property {string} [detail]
 * @property {string} [code]
 * @property {string} [errorId]
 * @property {unknown[]} [problems]
 * @property {Array<{ pointer?: string, message?: string, rule?: string }>} [violations]
 */

export const TOKEN_KEY = 'korpu.operatorToken';
// ---------------------------------------------------------------------------------------------------------------
// The API.

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {Problem | null} problem
   */
  constructor(status, problem) {
    super((problem && problem.detail) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/**
 * Keeps a new session's token in this tab only, and forgets the permissions of any earlier session.
 * @param {string} value
 */
export function saveToken(value) {
  sessionStorage.setItem(TOKEN_KEY, value);
  permissionsOfSession = null;
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
  permissionsOfSession = null;
}

/**
 * What to do when the API says the session is gone (401): set by the entry module (the sign-in form).
 * @type {(reason: string) => void}
 */
let onUnauthenticated = () => undefined;
/** @param {(reason: string) => void} handler */
export function whenUnauthenticated(handler) {
  onUnauthenticated = handler;
}

// What the signed-in operator may do (GET /v1/admin/session), asked once per page load: the console shows only
// the actions the roles allow. The API enforces the same permissions whatever the page shows.
/** @type {Set<string> | null} */
let permissionsOfSession = null;
/** @returns {Promise<Set<string>>} */
export async function permissions() {
  if (!permissionsOfSession) {
    /** @type {SessionOperator} */
    const session = await api('GET', '/v1/admin/session');
    permissionsOfSession = new Set(session.permissions || []);
  }
  return permissionsOfSession;
}

/**
 * Calls the admin API with the session's token. Resolves with the JSON answer, of the type the caller declares
 * for it (one of the typedefs above), and rejects with an ApiError carrying the problem (a 401 also brings the
 * sign-in form back).
 * @template [T=unknown]
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body] sent as JSON
 * @param {Record<string, string>} [extraHeaders]
 * @returns {Promise<T>}
 */
export async function api(method, path, body, extraHeaders) {
  /** @type {Record<string, string>} */
  const headers = { ...(extraHeaders || {}), authorization: `Bearer ${token() || ''}`, accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await send(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return /** @type {T} */ (text ? JSON.parse(text) : null);
}

/**
 * A file the API answers with (e.g. the audit export): fetched with the session's token — a plain link could not
 * carry it — and handed to the browser as a download under the name the API gives (Content-Disposition).
 * @param {string} path
 * @returns {Promise<{ fileName: string, bytes: number }>}
 */
export async function download(path) {
  const response = await send(path, { method: 'GET', headers: { authorization: `Bearer ${token() || ''}` } });
  const blob = await response.blob();
  const named = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') || '');
  const fileName = named ? named[1] : 'download';
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click returns; the object URL is released a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { fileName, bytes: blob.size };
}

/**
 * Sends a request to this origin (no cookies, no cache) and answers the response if it is a success; otherwise
 * rejects with an ApiError holding the problem, after bringing the sign-in form back for a 401.
 * @param {string} path
 * @param {{ method: string, headers: Record<string, string>, body?: string }} init
 * @returns {Promise<Response>}
 */
async function send(path, init) {
  let response;
  try {
    response = await fetch(path, { ...init, credentials: 'omit', cache: 'no-store' });
  } catch (error) {
    throw new Error(`The gateway did not answer (${error instanceof Error ? error.message : String(error)})`);
  }
  if (response.ok) return response;
  const text = await response.text();
  /** @type {Problem | null} */
  let problem = null;
  try {
    problem = text ? JSON.parse(text) : null;
  } catch {
    problem = { detail: text.slice(0, 500) };
  }
  if (response.status === 401) {
    forgetToken();
    onUnauthenticated((problem && problem.detail) || 'Sign in again.');
  }
  throw new ApiError(response.status, problem);
}

/**
 * A query string of the parameters that have a value (`?a=1&b=x`, or '' when none has).
 * @param {Record<string, string | number | boolean | null | undefined>} params
 */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
