// @ts-check
import { pager } from './pager.js';
import { append, badge, clear, field, h, main, table, when } from './dom.js';
import { api, query } from './api.js';

export const STATUSES = ['unresolved', 'replayed', 'resolved', 'archived', 'discarded'];
// ---------------------------------------------------------------------------------------------------------------
// Failed messages.

/**
 * The list's filter as the address holds it (status unresolved unless it says otherwise).
 * @param {URLSearchParams} params
 */
export function messagesFilterFromHash(params) {
  return {
    status: params.get('status') ?? 'unresolved',
    service: params.get('service') || '',
    errorCode: params.get('errorCode') || '',
    fingerprint: params.get('fingerprint') || '',
    q: params.get('q') || '',
  };
}

/**
 * The failed-message list with its filters and keyset pages.
 * @param {URLSearchParams} params
 */
export async function renderMessages(params) {
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
        /** @type {Array<[string, HTMLInputElement]>} */
        const inputs = [['service', service], ['errorCode', errorCode], ['fingerprint', fingerprint], ['q', text]];
        for (const [name, input] of inputs) {
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
  /** @param {string | undefined} cursor */
  const load = async (cursor) => {
    /** @type {import('./api.js').FailedMessagePage} */
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
    append(clear(results), [
      table('Failed messages, newest failure first', ['Message id', 'Service', 'Error code', 'Error', 'Last failed', 'Attempts', 'Status'], rows, 'No failed message matches.'),
      pager(cursors, cursor, page, load),
    ]);
  };
  await load(undefined);
}
