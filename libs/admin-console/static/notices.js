// @ts-check
import { append, clear, errorBox, h, notice } from './dom.js';
import { ApiError } from './api.js';

// ---------------------------------------------------------------------------------------------------------------
// Messages to the operator.

/** @param {string} text */
export function showNotice(text) {
  notice.textContent = text;
  notice.hidden = !text;
}

export function hideError() {
  clear(errorBox);
  errorBox.hidden = true;
}

/**
 * Shows an error from the API (problem+json: detail and code, plus any problems or schema violations).
 * @param {unknown} error
 */
export function showError(error) {
  clear(errorBox);
  append(errorBox, [problemNodes(error)]);
  errorBox.hidden = false;
}

/**
 * An error as the operator reads it: the problem's detail, code and error id, and its itemised reasons.
 * @param {unknown} error
 */
export function problemNodes(error) {
  if (!(error instanceof ApiError)) return h('p', {}, error instanceof Error ? error.message : String(error));
  const problem = error.problem || {};
  const lines = [];
  if (Array.isArray(problem.problems)) for (const item of problem.problems) lines.push(String(item));
  if (Array.isArray(problem.violations)) {
    for (const v of problem.violations) lines.push(`${v.pointer || '/'}: ${v.message || v.rule || 'invalid'}`);
  }
  return h(
    'div',
    {},
    h('p', {}, h('strong', {}, problem.detail || error.message), problem.code ? ` (${problem.code})` : '', problem.errorId ? ` — error id ${problem.errorId}` : ''),
    lines.length ? h('ul', {}, lines.map((line) => h('li', {}, line))) : null,
  );
}


/**
 * Runs an action with its button disabled; shows the API's error if it fails.
 * @param {EventTarget | null} target the button that asked for it (its event's currentTarget), or null
 * @param {() => Promise<unknown>} action
 */
export async function act(target, action) {
  hideError();
  const button = target instanceof HTMLButtonElement ? target : null;
  if (button) button.disabled = true;
  try {
    await action();
  } catch (error) {
    // A 401 has already brought the sign-in form back, with the reason.
    if (!(error instanceof ApiError && error.status === 401)) showError(error);
  } finally {
    if (button) button.disabled = false;
  }
}
