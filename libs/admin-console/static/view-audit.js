// @ts-check
import { pager } from './pager.js';
import { append, clear, field, h, main, table, when } from './dom.js';
import { act, showNotice } from './notices.js';
import { api, download, permissions, query } from './api.js';
// Not a file of static/: the console's server writes it from OperatorAction of @korpu/operators (one definition).
import { AUDIT_ACTIONS } from './audit-actions.js';

// ---------------------------------------------------------------------------------------------------------------
// Audit trail.

/**
 * The audit trail, newest first, filtered by operator, action, message id and time, and its export.
 * @param {URLSearchParams} params the filter, from the address
 */
export async function renderAudit(params) {
  const operator = h('input', { type: 'text', name: 'operator', value: params.get('operator') || '' });
  const action = h('select', { name: 'action' }, h('option', { value: '' }, 'any'), AUDIT_ACTIONS.map((a) => h('option', { value: a }, a)));
  action.value = params.get('action') || '';
  const messageId = h('input', { type: 'text', name: 'messageId', value: params.get('messageId') || '' });
  // Instants as ISO-8601 text (UTC unless it says otherwise), as the API and the CLI take them.
  const from = h('input', { type: 'text', name: 'from', value: params.get('from') || '', placeholder: '2026-12-01T00:00:00Z' });
  const to = h('input', { type: 'text', name: 'to', value: params.get('to') || '', placeholder: '2026-12-02T00:00:00Z' });
  const form = h(
    'form',
    {
      className: 'filters',
      role: 'search',
      onsubmit: (event) => {
        event.preventDefault();
        const next = new URLSearchParams();
        /** @type {Array<[string, HTMLInputElement | HTMLSelectElement]>} */
        const inputs = [['operator', operator], ['action', action], ['messageId', messageId], ['from', from], ['to', to]];
        for (const [name, input] of inputs) if (input.value.trim()) next.set(name, input.value.trim());
        location.hash = `#/audit?${next.toString()}`;
      },
    },
    field('Operator', operator),
    field('Action', action),
    field('Message id', messageId),
    field('From (UTC)', from),
    field('Until (UTC)', to),
    h('button', { type: 'submit' }, 'Search'),
  );
  const results = h('div');
  const filter = { operator: operator.value.trim(), action: action.value, messageId: messageId.value.trim(), from: from.value.trim(), to: to.value.trim() };
  const mayExport = (await permissions()).has('audit:export');
  append(clear(main), [h('h2', {}, 'Audit trail'), form, mayExport ? exportPanel(filter, () => load(undefined)) : null, results]);
  const cursors = [undefined];
  /** @param {string | undefined} cursor */
  const load = async (cursor) => {
    /** @type {import('./api.js').AuditPage} */
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
    append(clear(results), [
      table('Operator actions, newest first', ['At', 'Operator', 'Action', 'Messages', 'Reason', 'Detail'], rows, 'No entry matches.'),
      pager(cursors, cursor, page, load),
    ]);
  };
  await load(undefined);
}

/**
 * Downloads the entries the filter selects, oldest first, as NDJSON or CSV (the export is audited itself).
 * @param {Record<string, string>} filter
 * @param {() => Promise<void>} reload shows the trail again (with the export's own entry)
 */
function exportPanel(filter, reload) {
  const format = h('select', { name: 'format' }, h('option', { value: 'ndjson' }, 'NDJSON (one JSON entry a line)'), h('option', { value: 'csv' }, 'CSV'));
  const button = h('button', { type: 'submit', className: 'secondary' }, 'Download export');
  const selected = Object.entries(filter).filter(([, value]) => value).map(([name, value]) => `${name} ${value}`);
  const form = h(
    'form',
    {
      className: 'inline',
      onsubmit: (event) => {
        event.preventDefault();
        void act(button, async () => {
          const file = await download(`/v1/admin/audit/export${query({ ...filter, format: format.value })}`);
          showNotice(`Downloaded ${file.fileName} (${file.bytes} bytes); the export itself is now in the audit trail.`);
          await reload();
        });
      },
    },
    field('Format', format),
    button,
  );
  return h(
    'section',
    { className: 'panel', 'aria-labelledby': 'export-title' },
    h('h3', { id: 'export-title' }, 'Export'),
    h('p', { className: 'muted' }, `Every entry ${selected.length ? `matching ${selected.join(', ')}` : 'of the trail'}, oldest first, with before, after and the hash chain.`),
    form,
  );
}
