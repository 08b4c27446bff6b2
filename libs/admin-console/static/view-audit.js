// @ts-check
import { pager } from './pager.js';
import { append, clear, field, h, main, table, when } from './dom.js';
import { api, query } from './api.js';

export const AUDIT_ACTIONS = ['view', 'unmask', 'edit', 'edit-replay', 'replay', 'bulk-replay', 'replay-job-create', 'replay-job-pause', 'replay-job-resume', 'replay-job-cancel', 'resolve', 'archive', 'discard', 'restore', 'purge', 'grant-access', 'revoke-access', 'sign-in', 'sign-in-failed', 'sign-in-throttled', 'sign-out', 'end-session', 'export-audit', 'export-inventory'];
// ---------------------------------------------------------------------------------------------------------------
// Audit trail.

export async function renderAudit(params) {
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
    append(clear(results), [
      table('Operator actions, newest first', ['At', 'Operator', 'Action', 'Messages', 'Reason', 'Detail'], rows, 'No entry matches.'),
      pager(cursors, cursor, page, load),
    ]);
  };
  await load(undefined);
}
