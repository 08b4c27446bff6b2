// @ts-check
import { h } from './dom.js';
import { act } from './notices.js';

/**
 * Keyset paging over a list answer ({ items, nextCursor }): `cursors` remembers the cursor of each page seen
 * (start it as [undefined]), `load(cursor)` shows a page. Returns the Previous / Page n / Next bar.
 * @param {Array<string | undefined>} cursors
 * @param {string | undefined} cursor
 * @param {{ nextCursor?: string }} page
 * @param {(cursor: string | undefined) => Promise<void>} load
 */
export function pager(cursors, cursor, page, load) {
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
  return h('div', { className: 'pager' }, previous, h('span', { className: 'muted' }, `Page ${pageNumber}`), next);
}
