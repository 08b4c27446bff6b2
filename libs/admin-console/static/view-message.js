// @ts-check
import { append, badge, checkbox, clear, field, h, main, pretty, table, when } from './dom.js';
import { act, problemNodes, showNotice } from './notices.js';
import { api, permissions } from './api.js';

// ---------------------------------------------------------------------------------------------------------------
// One failed message.

/** @typedef {import('./api.js').FailedMessageDetails} FailedMessageDetails */

/** How the API masks a personal value for a view without unmasking: four or more `*` (libs/schemas maskValue). */
const MASKED_VALUE = /\*{4}/;

/**
 * One failed message: its facts, the actions the operator's roles allow, payload, edits, headers and history.
 * Personal data is masked for everyone; an admin may ask for the unmasked view with a reason (audited by the API).
 * @param {string} messageId
 * @param {string} [unmaskReason]
 */
export async function renderMessage(messageId, unmaskReason) {
  /** @type {FailedMessageDetails} */
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
  if (m.editedTo) {
    facts.push(['Edited and replayed as', h('span', {}, h('span', { className: 'mono', id: 'detail-edited-to' }, m.editedTo), ' (a new message id: only this copy was sent; replay the copy if it fails)')]);
  }
  if (m.editOf) facts.push(['Edited copy of', h('a', { className: 'mono', href: `#/message/${encodeURIComponent(m.editOf.originalId)}` }, m.editOf.originalId)]);
  const copies = (m.copies || []).map((c) => [
    h('h4', {}, 'Copy ', h('span', { className: 'mono' }, c.copyId), ` by ${c.operator}, ${when(c.at)}${c.reason ? ` — ${c.reason}` : ''}`),
    h('pre', { className: 'mono edit-diff' }, c.diffFormat === 'json-patch' ? JSON.stringify(c.diff, null, 2) : String(c.diff)),
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
      // An original that was edited and replayed is superseded by its copy: the API refuses to replay or edit it again.
      may.has('failed-messages:replay') && !m.editedTo ? replayPanel(m, reload) : null,
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
    may.has('failed-messages:edit') && !m.editedTo ? editPanel(m, reload, !unmaskReason) : null,
    h('h3', {}, 'Headers'),
    headerRows.length ? h('table', {}, h('caption', {}, 'Headers of the original record'), h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Header'), h('th', { scope: 'col' }, 'Value'))), h('tbody', {}, headerRows)) : h('p', { className: 'muted' }, 'None.'),
    h('h3', {}, 'History'),
    table('What happened to this message', ['At', 'Event', 'Operator', 'Detail'], historyRows, 'No history.'),
  ]);
}

/** @param {FailedMessageDetails} m */
export function unmaskPanel(m) {
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

/**
 * @param {FailedMessageDetails} m
 * @param {() => Promise<void>} reload
 */
export function replayPanel(m, reload) {
  const reason = h('input', { type: 'text', name: 'reason' });
  const force = checkbox('Force (send to the partner even if its reply is recorded; needs a reason)', { name: 'force' });
  const button = h('button', { type: 'submit' }, 'Replay');
  const form = h(
    'form',
    {
      onsubmit: (event) => {
        event.preventDefault();
        void act(button, async () => {
          /** @type {import('./api.js').ReplayResult} */
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

/**
 * @param {FailedMessageDetails} m
 * @param {() => Promise<void>} reload
 */
export function resolvePanel(m, reload) {
  const reason = h('input', { type: 'text', name: 'reason' });
  const archive = checkbox('Archive instead of resolve', { name: 'archive' });
  const button = h('button', { type: 'submit', className: 'secondary' }, 'Resolve');
  const form = h(
    'form',
    {
      onsubmit: (event) => {
        event.preventDefault();
        void act(button, async () => {
          /** @type {import('./api.js').ResolveResult} */
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

/**
 * Discard with a reason, or restore a discarded message.
 * @param {FailedMessageDetails} m
 * @param {() => Promise<void>} reload
 */
export function discardPanel(m, reload) {
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

/**
 * Edit and replay: a corrected copy sent under a new message id, linked to this one. In the masked view the
 * payload it starts from holds masked values (`****…`): a copy is sent exactly as typed, so one that still holds
 * them is not sent.
 * @param {FailedMessageDetails} m
 * @param {() => Promise<void>} reload
 * @param {boolean} masked whether `m` came without the unmasked view
 */
export function editPanel(m, reload, masked) {
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
        if (masked && MASKED_VALUE.test(payload.value)) {
          append(problems, [h('p', { className: 'form-error' }, 'The payload still holds masked personal data (****…): type each masked value in full, or ask for the unmasked view first. The copy is sent exactly as typed.')]);
          return;
        }
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
        /** @type {Promise<import('./api.js').EditResult>} */
        const sent = api('POST', `/v1/admin/failed-messages/${encodeURIComponent(m.messageId)}/edit-and-replay`, body);
        sent
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
    masked ? h('p', { className: 'muted' }, 'Personal data is masked (****…) here: replace every masked value before sending.') : null,
    field('Reason', reason),
    button,
    problems,
  );
  return h('section', { className: 'panel', 'aria-labelledby': 'edit-title' }, h('h3', { id: 'edit-title' }, 'Edit and replay as a new message'), form);
}
