// @ts-check
import { append, badge, clear, field, h, main, table, when } from './dom.js';
import { act, showNotice } from './notices.js';
import { api, query } from './api.js';

// ---------------------------------------------------------------------------------------------------------------
// Access rights.

/**
 * Who may call which service: the rights, and the form that grants or revokes one.
 * @param {URLSearchParams} params `client`: show one client's rights
 */
export async function renderAccess(params) {
  const clientFilter = params.get('client') || '';
  const client = h('input', { type: 'text', name: 'client', value: clientFilter, placeholder: 'MLSP/benefits' });
  const service = h('input', { type: 'text', name: 'service', placeholder: 'tax-service/GetTaxpayer' });
  const reason = h('input', { type: 'text', name: 'reason' });
  const results = h('div');
  const change = (/** @type {'grant' | 'revoke'} */ kind) => (/** @type {MouseEvent} */ event) =>
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
    /** @type {import('./api.js').AccessRight[]} */
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
