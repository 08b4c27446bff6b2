// @ts-check


export const TOKEN_KEY = 'korpu.operatorToken';
// ---------------------------------------------------------------------------------------------------------------
// The API.

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && problem.detail) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** Keeps a new session's token in this tab only, and forgets the permissions of any earlier session. */
export function saveToken(value) {
  sessionStorage.setItem(TOKEN_KEY, value);
  permissionsOfSession = null;
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
  permissionsOfSession = null;
}

/** What to do when the API says the session is gone (401): set by the entry module (the sign-in form). */
let onUnauthenticated = (_reason) => undefined;
export function whenUnauthenticated(handler) {
  onUnauthenticated = handler;
}

// What the signed-in operator may do (GET /v1/admin/session), asked once per page load: the console shows only
// the actions the roles allow. The API enforces the same permissions whatever the page shows.
let permissionsOfSession = null;
export async function permissions() {
  if (!permissionsOfSession) permissionsOfSession = new Set((await api('GET', '/v1/admin/session')).permissions || []);
  return permissionsOfSession;
}

export async function api(method, path, body, extraHeaders) {
  const headers = { ...(extraHeaders || {}), authorization: `Bearer ${token() || ''}`, accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit', cache: 'no-store' });
  } catch (error) {
    throw new Error(`The gateway did not answer (${error instanceof Error ? error.message : String(error)})`);
  }
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { detail: text.slice(0, 500) };
  }
  if (!response.ok) {
    if (response.status === 401) {
      forgetToken();
      onUnauthenticated((parsed && parsed.detail) || 'Sign in again.');
    }
    throw new ApiError(response.status, parsed);
  }
  return parsed;
}

/**
 * A file the API answers with (e.g. the audit export): fetched with the session's token — a plain link could not
 * carry it — and handed to the browser as a download under the name the API gives (Content-Disposition).
 */
export async function download(path) {
  let response;
  try {
    response = await fetch(path, { headers: { authorization: `Bearer ${token() || ''}` }, credentials: 'omit', cache: 'no-store' });
  } catch (error) {
    throw new Error(`The gateway did not answer (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!response.ok) {
    const text = await response.text();
    let parsed = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = { detail: text.slice(0, 500) };
    }
    if (response.status === 401) {
      forgetToken();
      onUnauthenticated((parsed && parsed.detail) || 'Sign in again.');
    }
    throw new ApiError(response.status, parsed);
  }
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
  // The browser has taken the file by the time the click returns; the object URL is released a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { fileName, bytes: blob.size };
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
