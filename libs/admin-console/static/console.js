// Körpü admin console: a plain ES module over the admin API (/v1/admin/...).
// Everything shown comes from the API and may hold untrusted text (payloads, headers, error messages): it is only
// ever put in the page as text (textContent / text nodes), never as HTML. The operator signs in with user name and
// password (POST /v1/admin/session); the session token lives in sessionStorage only (gone when the tab closes).

const TOKEN_KEY = 'korpu.operatorToken';
const STATUSES = ['unresolved', 'replayed', 'resolved', 'archived', 'discarded'];
const AUDIT_ACTIONS = ['view', 'edit', 'edit-replay', 'replay', 'bulk-replay', 'replay-job-create', 'replay-job-pause', 'replay-job-resume', 'replay-job-cancel', 'resolve', 'archive', 'discard', 'restore', 'purge', 'grant-access', 'revoke-access'];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const notice = document.getElementById('notice');
const errorBox = document.getElementById('error');

// ---------------------------------------------------------------------------------------------------------------
// DOM helpers: text only.

/**
 * Creates an element. `props` sets safe properties (className, type, id, htmlFor, value, checked, disabled, hidden,
 * name, placeholder, rows, title), `aria-*`/`data-*`/other attributes via setAttribute, and `on*` listeners.
 * Children: nodes, or strings/numbers added as text nodes; null/undefined/false are skipped.
 */
function h(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2).toLowerCase(), value);
    else if (['className', 'type', 'id', 'htmlFor', 'value', 'checked', 'disabled', 'hidden', 'name', 'placeholder', 'rows', 'title', 'required', 'autocomplete'].includes(name)) node[name] = value;
    else node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

let fieldCounter = 0;
/** A labelled control: <label>text <control id=...></label>. */
function field(text, control) {
  fieldCounter += 1;
  if (!control.id) control.id = `f${fieldCounter}`;
  return h('label', { htmlFor: control.id }, text, control);
}

function checkbox(text, props) {
  fieldCounter += 1;
  const input = h('input', { type: 'checkbox', id: `f${fieldCounter}`, ...props });
  return { input, label: h('label', { className: 'check', htmlFor: input.id }, input, text) };
}

function table(caption, headers, rows, empty) {
  if (!rows.length) return h('p', { className: 'muted' }, empty);
  return h(
    'table',
    {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map((text) => h('th', { scope: 'col' }, text)))),
    h('tbody', {}, rows),
  );
}

function badge(text) {
  return h('span', { className: `badge ${String(text).replace(/[^a-z-]/g, '')}` }, text);
}

function when(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function pretty(payload, contentType) {
  if (payload === null || payload === undefined) return '';
  if (contentType && contentType.includes('json')) {
    try {
      return JSON.stringify(JSON.parse(payload), null, 2);
    } catch {
      return String(payload);
    }
  }
  return String(payload);
}

// ---------------------------------------------------------------------------------------------------------------
// Messages to the operator.

function showNotice(text) {
  notice.textContent = text;
  notice.hidden = !text;
}

function hideError() {
  clear(errorBox);
  errorBox.hidden = true;
}

/** Shows an error from the API (problem+json: detail and code, plus any problems or schema violations). */
function showError(error) {
  clear(errorBox);
  append(errorBox, [problemNodes(error)]);
  errorBox.hidden = false;
}

function problemNodes(error) {
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

// ---------------------------------------------------------------------------------------------------------------
// The API.

class ApiError extends Error {
  constructor(status, problem) {
    super((problem && problem.detail) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

// What the signed-in operator may do (GET /v1/admin/session), asked once per page load: the console shows only
// the actions the roles allow. The API enforces the same permissions whatever the page shows.
let permissionsOfSession = null;
async function permissions() {
  if (!permissionsOfSession) permissionsOfSession = new Set((await api('GET', '/v1/admin/session')).permissions || []);
  return permissionsOfSession;
}

async function api(method, path, body, extraHeaders) {
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
      sessionStorage.removeItem(TOKEN_KEY);
      permissionsOfSession = null;
      renderLogin((parsed && parsed.detail) || 'Sign in again.');
    }
    throw new ApiError(response.status, parsed);
  }
  return parsed;
}

function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Runs an action with its button disabled; shows the API's error if it fails. */
async function act(button, action) {
  hideError();
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

// ---------------------------------------------------------------------------------------------------------------
// Sign in.

function renderLogin(reason) {
  nav.hidden = true;
  showNotice('');
  clear(main);
  const username = h('input', { type: 'text', name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const message = h('p', { className: 'form-error', role: 'alert' }, reason || '');
  const form = h(
    'form',
    {
      onsubmit: (event) => {
        event.preventDefault();
        if (!username.value.trim() || !password.value) {
          message.textContent = 'Type your user name and password.';
          return;
        }
        void act(form.querySelector('button'), async () => {
          // The session token goes to this tab's sessionStorage only; the password is sent once and not kept.
          const session = await api('POST', '/v1/admin/session', { username: username.value.trim(), password: password.value });
          password.value = '';
          sessionStorage.setItem(TOKEN_KEY, session.token);
          permissionsOfSession = null;
          nav.hidden = false;
          if (!location.hash || location.hash === '#/login') location.hash = '#/messages';
          else void route();
        });
      },
    },
    field('User name', username),
    field('Password', password),
    h('p', { className: 'muted' }, 'Your directory (Active Directory) account, or a break-glass account. The session is kept in this tab only; every action is recorded under your name.'),
    h('button', { type: 'submit' }, 'Sign in'),
    message,
  );
  append(main, [h('section', { className: 'login', 'aria-labelledby': 'login-title' }, h('h2', { id: 'login-title' }, 'Sign in'), form)]);
  username.focus();
}

// ---------------------------------------------------------------------------------------------------------------
// Failed messages.

function messagesFilterFromHash(params) {
  return {
    status: params.get('status') ?? 'unresolved',
    service: params.get('service') || '',
    errorCode: params.get('errorCode') || '',
    fingerprint: params.get('fingerprint') || '',
    q: params.get('q') || '',
  };
}

async function renderMessages(params) {
  const filter = messagesFilterFromHash(params);
  const status = h('select', { name: 'status' }, h('option', { value: '' }, 'any'), STATUSES.map((s) => h('option', { value: s }, s)));
  status.value = filter.status;
  const service = h('input', { type: 'text', name: 'service', value: filter.service, placeholder: 'tax-service/GetTaxpayer' });
  const errorCode = h('input', { type: 'text', name: 'errorCode', value: filter.errorCode, placeholder: 'PARTNER_…' });
  const fingerprint = h('input', { type: 'text', name: 'fingerprint', value: filter.fingerprint });
  const text = h('input', { type: 'text', name: 'q', value: filter.q, placeholder: 'prefix' });
  const form = h(
    'form',
    {
      className: 'filters',
      role: 'search',
      onsubmit: (event) => {
        event.preventDefault();
        const next = new URLSearchParams();
        next.set('status', status.value);
        for (const [name, input] of [['service', service], ['errorCode', errorCode], ['fingerprint', fingerprint], ['q', text]]) {
          if (input.value.trim()) next.set(name, input.value.trim());
        }
        location.hash = `#/messages?${next.toString()}`;
      },
    },
    field('Status', status),
    field('Service', service),
    field('Error code', errorCode),
    field('Fingerprint', fingerprint),
    field('Message or correlation id', text),
    h('button', { type: 'submit' }, 'Search'),
  );
  const results = h('div', { id: 'message-results' });
  append(clear(main), [h('h2', {}, 'Failed messages'), form, results]);

  const cursors = [undefined];
  const load = async (cursor) => {
    const page = await api('GET', `/v1/admin/failed-messages${query({ ...filter, limit: 25, cursor })}`);
    const rows = page.items.map((m) =>
      h(
        'tr',
        {},
        h('td', {}, h('a', { className: 'mono', href: `#/message/${encodeURIComponent(m.messageId)}` }, m.messageId)),
        h('td', {}, m.service || '—'),
        h('td', { className: 'mono' }, m.errorCode),
        h('td', {}, m.errorMessage),
        h('td', {}, when(m.lastFailedAt)),
        h('td', { className: 'num' }, m.attempts),
        h('td', {}, badge(m.status), m.edited ? ' edited' : ''),
      ),
    );
    const pageNumber = cursors.indexOf(cursor) + 1;
    const previous = h('button', { type: 'button', className: 'secondary', disabled: pageNumber <= 1, onclick: (e) => act(e.currentTarget, () => load(cursors[pageNumber - 2])) }, 'Previous page');
    const next = h(
      'button',
      {
        type: 'button',
        className: 'secondary',
        disabled: !page.nextCursor,
        onclick: (e) =>
          act(e.currentTarget, () => {
            if (!cursors.includes(page.nextCursor)) cursors.push(page.nextCursor);
            return load(page.nextCursor);
          }),
      },
      'Next page',
    );
    append(clear(results), [
      table('Failed messages, newest failure first', ['Message id', 'Service', 'Error code', 'Error', 'Last failed', 'Attempts', 'Status'], rows, 'No failed message matches.'),
      h('div', { className: 'pager' }, previous, h('span', { className: 'muted' }, `Page ${pageNumber}`), next),
    ]);
  };
  await load(undefined);
}

// ---------------------------------------------------------------------------------------------------------------
// Failure groups and bulk replay.

async function renderGroups() {
  const results = h('div');
  const bulk = h('div');
  append(clear(main), [h('h2', {}, 'Failure groups'), h('p', { className: 'muted' }, 'Unresolved failed messages counted by cause (fingerprint).'), results, bulk]);
  const data = await api('GET', '/v1/admin/failed-messages/groups?by=fingerprint&status=unresolved');
  const mayBulkReplay = (await permissions()).has('failed-messages:bulk-jobs');
  const rows = data.groups.map((g) =>
    h(
      'tr',
      {},
      h('td', { className: 'mono' }, g.key),
      h('td', { className: 'mono' }, g.errorCodes.join(', ')),
      h('td', {}, g.sampleErrorMessage),
      h('td', {}, g.services.join(', ')),
      h('td', { className: 'num' }, g.count),
      h('td', {}, when(g.lastFailedAt)),
      h(
        'td',
        {},
        h('a', { href: `#/messages?${new URLSearchParams({ status: 'unresolved', fingerprint: g.key }).toString()}` }, 'Show messages'),
        ' ',
        mayBulkReplay ? h('button', { type: 'button', className: 'secondary', onclick: () => renderBulkReplay(bulk, g) }, 'Bulk replay…') : null,
      ),
    ),
  );
  append(results, [table('Groups, largest first', ['Fingerprint', 'Error codes', 'Example error', 'Services', 'Count', 'Last failed', 'Actions'], rows, 'No unresolved failed message.')]);
}

function renderBulkReplay(container, group) {
  const reason = h('input', { type: 'text', name: 'reason' });
  const force = checkbox('Force (the partner receives messages already answered again; needs a reason)');
  const outcome = h('div', { 'aria-live': 'polite' });
  const body = () => ({ fingerprint: group.key, force: force.input.checked, reason: reason.value.trim() || undefined });
  const start = h(
    'button',
    {
      type: 'button',
      className: 'danger',
      disabled: true,
      onclick: (e) =>
        act(e.currentTarget, async () => {
          const progress = await api('POST', '/v1/admin/replay-jobs', body());
          start.hidden = true; // one job per preview: preview again for another
          showNotice(`Replay job ${progress.job.id} started: ${progress.job.total} message(s).`);
          jobProgress(outcome, progress);
        }),
    },
    'Start replay job',
  );
  const invalidate = () => {
    start.disabled = true;
  };
  reason.addEventListener('input', invalidate);
  force.input.addEventListener('change', invalidate);
  const preview = h(
    'button',
    {
      type: 'button',
      onclick: (e) =>
        act(e.currentTarget, async () => {
          const result = await api('POST', '/v1/admin/replay-jobs', { ...body(), preview: true });
          clear(outcome);
          append(outcome, [
            h('p', { id: 'job-preview' }, `Preview: ${result.matched} message(s) to replay${result.alreadyQueued ? ` (${result.alreadyQueued} already in another job, left to it)` : ''}; about ${result.estimatedSeconds} s at the partners' rates.`),
            table('Partners', ['Partner', 'Messages', 'Rate (messages/s)', 'Time (s)'], result.partners.map((p) => h('tr', {}, h('td', {}, p.partner || '—'), h('td', { className: 'num' }, p.count), h('td', { className: 'num' }, p.ratePerSecond), h('td', { className: 'num' }, p.seconds))), ''),
          ]);
          start.hidden = false;
          start.disabled = result.matched - result.alreadyQueued <= 0;
          start.textContent = `Replay ${result.matched - result.alreadyQueued} message(s) as a job`;
        }),
    },
    'Preview',
  );
  append(clear(container), [
    h(
      'section',
      { className: 'panel', 'aria-labelledby': 'bulk-title' },
      h('h3', { id: 'bulk-title' }, 'Bulk replay of group ', h('span', { className: 'mono' }, group.key)),
      h('p', { className: 'muted' }, 'Unresolved messages of this cause, oldest first, replayed by a job at each partner\'s rate. Preview first, then start the job.'),
      h('form', { className: 'inline', onsubmit: (e) => e.preventDefault() }, field('Reason', reason), force.label, preview, start),
      outcome,
    ),
  ]);
  reason.focus();
}

/** A job's progress bar and controls, polled every second while the job runs. */
function jobProgress(container, initial) {
  const bar = h('progress', { id: 'job-progress', max: 100, value: 0, 'aria-label': 'Replay job progress' });
  const text = h('p', { id: 'job-progress-text' });
  const controls = h('div', { className: 'inline' });
  let timer;
  const control = (action) =>
    h('button', { type: 'button', className: action === 'cancel' ? 'danger' : 'secondary', onclick: (e) => act(e.currentTarget, async () => show(await api('POST', `/v1/admin/replay-jobs/${initial.job.id}/${action}`, {}))) }, action[0].toUpperCase() + action.slice(1));
  const show = (p) => {
    bar.value = p.percent;
    text.textContent = `Job ${p.job.id}: ${p.job.state} — ${p.done} done, ${p.failed} failed, ${p.skipped} skipped${p.inDoubt ? `, ${p.inDoubt} in doubt` : ''}, ${p.remaining} remaining; ${p.ratePerSecond}/s${p.etaSeconds !== null ? `, about ${p.etaSeconds} s left` : ''}`;
    clear(controls);
    if (p.job.state === 'running') append(controls, [control('pause'), control('cancel')]);
    if (p.job.state === 'paused') append(controls, [control('resume'), control('cancel')]);
    clearTimeout(timer);
    if (p.job.state === 'running' || p.job.state === 'paused') {
      timer = setTimeout(() => {
        if (!bar.isConnected) return; // the operator went elsewhere
        api('GET', `/v1/admin/replay-jobs/${p.job.id}`).then(show, () => undefined);
      }, 1000);
    }
  };
  append(clear(container), [bar, text, controls]);
  show(initial);
}

// ---------------------------------------------------------------------------------------------------------------
// One failed message.

// Personal data is masked for everyone; an admin may ask for the unmasked view with a reason (audited by the API).
async function renderMessage(messageId, unmaskReason) {
  const m = await api('GET', `/v1/admin/failed-messages/${encodeURIComponent(messageId)}`, undefined, unmaskReason ? { 'korpu-unmask-reason': unmaskReason } : undefined);
  const may = await permissions();
  const reload = () => act(null, () => renderMessage(messageId));
  const facts = [
    ['Message id', h('span', { className: 'mono', id: 'detail-message-id' }, m.messageId)],
    ['Status', h('span', { id: 'detail-status' }, badge(m.status))],
    ['Delivery status', h('span', { id: 'detail-delivery' }, m.delivery ? badge(m.delivery.status) : '—', m.delivery ? ` (updated ${when(m.delivery.updatedAt)}, ${m.delivery.attempts} attempt(s))` : '')],
    ['Error code', h('span', { className: 'mono', id: 'detail-error-code' }, m.errorCode)],
    ['Error', m.errorMessage],
    ['Fingerprint', h('span', { className: 'mono' }, m.fingerprint)],
    ['Correlation id', h('span', { className: 'mono' }, m.correlationId || '—')],
    ['Trace id', h('span', { className: 'mono', id: 'detail-trace-id' }, m.traceId || '—')],
    ['Client', m.client || '—'],
    ['Service', m.service || '—'],
    ['Message type', m.messageType ? `${m.messageType} v${m.schemaVersion || '?'}` : '—'],
    ['Content type', m.contentType || '—'],
    ['Original topic', m.originalTopic ? `${m.originalTopic} [${m.originalPartition}] @ ${m.originalOffset}` : '—'],
    ['Attempts', String(m.attempts)],
    ['Failures', `${m.failureCount} (first ${when(m.firstFailedAt)}, last ${when(m.lastFailedAt)})`],
    ['Replays', m.replayCount ? `${m.replayCount} (last ${when(m.lastReplayedAt)} by ${m.lastReplayedBy || '?'})` : '0'],
    ['Status changed', `${when(m.statusChangedAt)}${m.statusChangedBy ? ` by ${m.statusChangedBy}` : ''}`],
  ];
  if (m.discardReason) facts.push(['Discarded because', m.discardReason]);
  if (m.editedTo) facts.push(['Edited and replayed as', h('span', { className: 'mono', id: 'detail-edited-to' }, m.editedTo)]);
  if (m.editOf) facts.push(['Edited copy of', h('a', { className: 'mono', href: `#/message/${encodeURIComponent(m.editOf.originalId)}` }, m.editOf.originalId)]);
  const copies = (m.copies || []).map((c) => [
    h('h4', {}, 'Copy ', h('span', { className: 'mono' }, c.copyId), ` by ${c.operator}, ${when(c.at)}${c.reason ? ` — ${c.reason}` : ''}`),
    h('pre', { className: 'mono edit-diff' }, c.diffFormat === 'json-patch' ? JSON.stringify(c.diff, null, 2) : c.diff),
  ]);
  const headerRows = Object.entries(m.headers || {}).map(([name, value]) => h('tr', {}, h('th', { scope: 'row', className: 'mono' }, name), h('td', { className: 'mono' }, value)));
  const historyRows = (m.history || []).map((event) =>
    h('tr', {}, h('td', {}, when(event.at)), h('td', {}, event.kind), h('td', {}, event.operator || '—'), h('td', { className: 'mono' }, JSON.stringify(event.detail || {}))),
  );
  if (m.delivery && m.delivery.error) facts.push(['Delivery error', `${m.delivery.error.message} (${m.delivery.error.code})`]);

  append(clear(main), [
    h('p', {}, h('a', { href: '#/messages' }, '← Failed messages'), ' ', h('button', { type: 'button', className: 'secondary', id: 'refresh', onclick: reload }, 'Refresh')),
    h('h2', {}, 'Failed message ', h('span', { className: 'mono' }, m.messageId)),
    h('dl', { className: 'facts' }, facts.map(([name, value]) => [h('dt', {}, name), h('dd', {}, value)])),
    h(
      'div',
      { className: 'panels' },
      may.has('failed-messages:replay') ? replayPanel(m, reload) : null,
      may.has('failed-messages:resolve') ? resolvePanel(m, reload) : null,
      may.has('failed-messages:discard') ? discardPanel(m, reload) : null,
    ),
    h('h3', {}, 'Payload as it failed', unmaskReason ? ' (personal data shown: audited)' : ' (personal data masked)'),
    h('pre', { className: 'mono', id: 'payload-original' }, pretty(m.payload, m.contentType)),
    unmaskReason || !may.has('personal-data:unmask') ? null : unmaskPanel(m),
    m.editedPayload !== null && m.editedPayload !== undefined
      ? [h('h3', {}, `Edited payload (by ${m.editedBy || '?'}, ${when(m.editedAt)}) — a replay sends this`), h('pre', { className: 'mono' }, pretty(m.editedPayload, m.contentType))]
      : null,
    copies.length ? [h('h3', {}, 'Edited copies sent instead (what changed)'), copies] : null,
    may.has('failed-messages:edit') ? editPanel(m, reload) : null,
    h('h3', {}, 'Headers'),
    headerRows.length ? h('table', {}, h('caption', {}, 'Headers of the original record'), h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Header'), h('th', { scope: 'col' }, 'Value'))), h('tbody', {}, headerRows)) : h('p', { className: 'muted' }, 'None.'),
    h('h3', {}, 'History'),
    table('What happened to this message', ['At', 'Event', 'Operator', 'Detail'], historyRows, 'No history.'),
  ]);
}

function unmaskPanel(m) {
  const reason = h('input', { type: 'text', name: 'unmask-reason', required: true, minLength: 5, maxLength: 500 });
  const button = h('button', { type: 'submit', className: 'secondary' }, 'Show personal data');
  const form = h(
    'form',
    {
      onsubmit: (event) => {
        event.preventDefault();
        void act(button, () => renderMessage(m.messageId, reason.value.trim()));
      },
    },
    field('Reason (kept in the audit trail)', reason),
    button,
  );
  return h('section', { className: 'panel', 'aria-labelledby': 'unmask-title' }, h('h3', { id: 'unmask-title' }, 'Personal data'), form);
}

function replayPanel(m, reload) {
  const reason = h('input', { type: 'text', name: 'reason' });
  const force = checkbox('Force (send to the partner even if its reply is recorded; needs a reason)', { name: 'force' });
  const button = h('button', { type: 'submit' }, 'Replay');
  const form = h(
    'form',
    {
      onsubmit: (event) => {
        event.preventDefault();
        void act(button, async () => {
          const result = await api('POST', `/v1/admin/failed-messages/${encodeURIComponent(m.messageId)}/replay`, { reason: reason.value.trim() || undefined, force: force.input.checked });
          await reload();
          showNotice(`Replayed ${result.messageId} to ${result.topic} (replay ${result.replayId}${result.edited ? ', edited payload' : ''}). Refresh to follow its delivery status.`);
        });
      },
    },
    field('Reason', reason),
    force.label,
    button,
  );
  return h('section', { className: 'panel', 'aria-labelledby': 'replay-title' }, h('h3', { id: 'replay-title' }, 'Replay'), form);
}

function resolvePanel(m, reload) {
  const reason = h('input', { type: 'text', name: 'reason' });
  const archive = checkbox('Archive instead of resolve', { name: 'archive' });
  const button = h('button', { type: 'submit', className: 'secondary' }, 'Resolve');
  const form = h(
    'form',
    {
      onsubmit: (event) => {
        event.preventDefault();
        void act(button, async () => {
          const result = await api('POST', `/v1/admin/failed-messages/${encodeURIComponent(m.messageId)}/resolve`, { reason: reason.value.trim() || undefined, archive: archive.input.checked });
          await reload();
          showNotice(result.changed ? `Marked ${result.message.status}.` : `Already ${result.message.status}; nothing changed.`);
        });
      },
    },
    field('Reason', reason),
    archive.label,
    button,
  );
  return h('section', { className: 'panel', 'aria-labelledby': 'resolve-title' }, h('h3', { id: 'resolve-title' }, 'Resolve without replaying'), form);
}

function discardPanel(m, reload) {
  const reason = h('input', { type: 'text', name: 'reason', required: m.status !== 'discarded' });
  const restoring = m.status === 'discarded';
  const button = h('button', { type: 'submit', className: 'secondary' }, restoring ? 'Restore' : 'Discard');
  const form = h(
    'form',
    {
      onsubmit: (event) => {
        event.preventDefault();
        void act(button, async () => {
          await api('POST', `/v1/admin/failed-messages/${encodeURIComponent(m.messageId)}/${restoring ? 'restore' : 'discard'}`, { reason: reason.value.trim() || undefined });
          await reload();
          showNotice(restoring ? 'Restored: unresolved again.' : 'Discarded; it can be restored until the retention purge.');
        });
      },
    },
    field(restoring ? 'Reason' : 'Reason (required)', reason),
    button,
  );
  return h('section', { className: 'panel', 'aria-labelledby': 'discard-title' }, h('h3', { id: 'discard-title' }, restoring ? 'Restore' : 'Discard'), form);
}

function editPanel(m, reload) {
  const isJson = Boolean(m.contentType && m.contentType.includes('json'));
  const payload = h('textarea', { name: 'payload', rows: 12 });
  payload.value = pretty(m.editedPayload ?? m.payload, m.contentType);
  const reason = h('input', { type: 'text', name: 'reason' });
  const problems = h('div', { role: 'alert' });
  const button = h('button', { type: 'submit' }, 'Send edited copy');
  const form = h(
    'form',
    {
      onsubmit: (event) => {
        event.preventDefault();
        clear(problems);
        let body;
        if (isJson) {
          try {
            body = { payload: JSON.parse(payload.value), reason: reason.value.trim() || undefined };
          } catch (error) {
            append(problems, [h('p', { className: 'form-error' }, `Not valid JSON: ${error instanceof Error ? error.message : String(error)}`)]);
            return;
          }
        } else {
          body = { payload: payload.value, reason: reason.value.trim() || undefined };
        }
        button.disabled = true;
        api('POST', `/v1/admin/failed-messages/${encodeURIComponent(m.messageId)}/edit-and-replay`, body)
          .then(async (result) => {
            await reload();
            showNotice(`Sent the edited copy as ${result.copy.messageId} (edit of ${result.copy.editOf})${result.warnings.length ? ` (warnings: ${result.warnings.join('; ')})` : ''}; the original is kept.`);
          })
          .catch((error) => {
            append(problems, [h('div', { className: 'form-error' }, problemNodes(error))]);
          })
          .finally(() => {
            button.disabled = false;
          });
      },
    },
    field(`Payload (${m.contentType || 'unknown type'}; checked against ${m.messageType || '?'} v${m.schemaVersion || '?'})`, payload),
    field('Reason', reason),
    button,
    problems,
  );
  return h('section', { className: 'panel', 'aria-labelledby': 'edit-title' }, h('h3', { id: 'edit-title' }, 'Edit and replay as a new message'), form);
}

// ---------------------------------------------------------------------------------------------------------------
// Audit trail.

async function renderAudit(params) {
  const operator = h('input', { type: 'text', name: 'operator', value: params.get('operator') || '' });
  const action = h('select', { name: 'action' }, h('option', { value: '' }, 'any'), AUDIT_ACTIONS.map((a) => h('option', { value: a }, a)));
  action.value = params.get('action') || '';
  const messageId = h('input', { type: 'text', name: 'messageId', value: params.get('messageId') || '' });
  const form = h(
    'form',
    {
      className: 'filters',
      role: 'search',
      onsubmit: (event) => {
        event.preventDefault();
        const next = new URLSearchParams();
        for (const [name, input] of [['operator', operator], ['action', action], ['messageId', messageId]]) if (input.value.trim()) next.set(name, input.value.trim());
        location.hash = `#/audit?${next.toString()}`;
      },
    },
    field('Operator', operator),
    field('Action', action),
    field('Message id', messageId),
    h('button', { type: 'submit' }, 'Search'),
  );
  const results = h('div');
  append(clear(main), [h('h2', {}, 'Audit trail'), form, results]);
  const filter = { operator: operator.value.trim(), action: action.value, messageId: messageId.value.trim() };
  const cursors = [undefined];
  const load = async (cursor) => {
    const page = await api('GET', `/v1/admin/audit${query({ ...filter, limit: 50, cursor })}`);
    const rows = page.items.map((entry) =>
      h(
        'tr',
        {},
        h('td', {}, when(entry.at)),
        h('td', {}, entry.operator),
        h('td', {}, entry.action),
        h('td', { className: 'mono' }, entry.messageIds.join(', ') || '—'),
        h('td', {}, entry.reason || '—'),
        h('td', { className: 'mono' }, Object.keys(entry.detail || {}).length ? JSON.stringify(entry.detail) : '—'),
      ),
    );
    const pageNumber = cursors.indexOf(cursor) + 1;
    append(clear(results), [
      table('Operator actions, newest first', ['At', 'Operator', 'Action', 'Messages', 'Reason', 'Detail'], rows, 'No entry matches.'),
      h(
        'div',
        { className: 'pager' },
        h('button', { type: 'button', className: 'secondary', disabled: pageNumber <= 1, onclick: (e) => act(e.currentTarget, () => load(cursors[pageNumber - 2])) }, 'Previous page'),
        h('span', { className: 'muted' }, `Page ${pageNumber}`),
        h(
          'button',
          {
            type: 'button',
            className: 'secondary',
            disabled: !page.nextCursor,
            onclick: (e) =>
              act(e.currentTarget, () => {
                if (!cursors.includes(page.nextCursor)) cursors.push(page.nextCursor);
                return load(page.nextCursor);
              }),
          },
          'Next page',
        ),
      ),
    ]);
  };
  await load(undefined);
}

// ---------------------------------------------------------------------------------------------------------------
// Access rights.

async function renderAccess(params) {
  const clientFilter = params.get('client') || '';
  const client = h('input', { type: 'text', name: 'client', value: clientFilter, placeholder: 'MLSP/benefits' });
  const service = h('input', { type: 'text', name: 'service', placeholder: 'tax-service/GetTaxpayer' });
  const reason = h('input', { type: 'text', name: 'reason' });
  const results = h('div');
  const change = (kind) => (event) =>
    act(event.currentTarget, async () => {
      const body = { client: client.value.trim(), service: service.value.trim(), reason: reason.value.trim() || undefined };
      await api('POST', `/v1/admin/access-rights/${kind}`, body);
      showNotice(`${kind === 'grant' ? 'Granted' : 'Revoked'} ${body.service} for ${body.client}.`);
      reason.value = '';
      await load();
    });
  const form = h(
    'form',
    { className: 'inline', onsubmit: (e) => e.preventDefault() },
    field('Client', client),
    field('Service (partner/operation)', service),
    field('Reason', reason),
    h('button', { type: 'button', onclick: change('grant') }, 'Grant'),
    h('button', { type: 'button', className: 'danger', onclick: change('revoke') }, 'Revoke'),
  );
  const showFilter = h('input', { type: 'text', name: 'clientFilter', value: clientFilter });
  const filterForm = h(
    'form',
    {
      className: 'filters',
      role: 'search',
      onsubmit: (event) => {
        event.preventDefault();
        location.hash = showFilter.value.trim() ? `#/access?${new URLSearchParams({ client: showFilter.value.trim() }).toString()}` : '#/access';
      },
    },
    field('Show client', showFilter),
    h('button', { type: 'submit', className: 'secondary' }, 'Show'),
  );
  const load = async () => {
    const rights = await api('GET', `/v1/admin/access-rights${query({ client: clientFilter })}`);
    const rows = rights.map((r) =>
      h(
        'tr',
        {},
        h('td', {}, r.clientId),
        h('td', { className: 'mono' }, r.service),
        h('td', {}, badge(r.revokedAt ? 'revoked' : 'active')),
        h('td', {}, `${when(r.grantedAt)} by ${r.grantedBy}`),
        h('td', {}, r.revokedAt ? `${when(r.revokedAt)} by ${r.revokedBy || '?'}` : '—'),
        h(
          'td',
          {},
          h(
            'button',
            {
              type: 'button',
              className: 'secondary',
              'aria-label': `Select ${r.clientId} ${r.service}`,
              onclick: () => {
                client.value = r.clientId;
                service.value = r.service;
                reason.focus();
              },
            },
            'Select',
          ),
        ),
      ),
    );
    append(clear(results), [table('Access rights', ['Client', 'Service', 'State', 'Granted', 'Revoked', ''], rows, 'No access right.')]);
  };
  append(clear(main), [
    h('h2', {}, 'Access rights'),
    h('section', { className: 'panel', 'aria-labelledby': 'change-title' }, h('h3', { id: 'change-title' }, 'Grant or revoke'), h('p', { className: 'muted' }, 'A revocation applies to the client\'s next request.'), form),
    h('h3', {}, 'Current rights'),
    filterForm,
    results,
  ]);
  await load();
}

// ---------------------------------------------------------------------------------------------------------------
// Routing (#/messages, #/message/<id>, #/groups, #/audit, #/access).

async function route() {
  if (!token()) {
    renderLogin('');
    return;
  }
  nav.hidden = false;
  hideError();
  const hash = location.hash.replace(/^#/, '') || '/messages';
  const [path, search] = hash.split('?');
  const params = new URLSearchParams(search || '');
  const section = path.split('/')[1] || 'messages';
  for (const link of nav.querySelectorAll('a')) {
    if (link.getAttribute('href') === `#/${section === 'message' ? 'messages' : section}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  try {
    if (section === 'message') await renderMessage(decodeURIComponent(path.slice('/message/'.length)));
    else if (section === 'groups') await renderGroups();
    else if (section === 'audit') await renderAudit(params);
    else if (section === 'access') await renderAccess(params);
    else await renderMessages(params);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) showError(error);
  }
}

document.getElementById('sign-out').addEventListener('click', async () => {
  // Ends the session on the server too, so the token opens nothing even if it was copied.
  if (token()) await api('DELETE', '/v1/admin/session').catch(() => undefined);
  sessionStorage.removeItem(TOKEN_KEY);
  permissionsOfSession = null;
  location.hash = '';
  renderLogin('Signed out.');
});
window.addEventListener('hashchange', () => {
  showNotice('');
  void route();
});
void route();
