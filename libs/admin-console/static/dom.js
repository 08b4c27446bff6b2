// @ts-check


/**
 * An element the page (index.html) must have.
 * @param {string} id
 * @returns {HTMLElement}
 */
export function element(id) {
  const found = document.getElementById(id);
  if (!found) throw new Error(`index.html has no #${id}`);
  return found;
}

export const main = element('main');
export const nav = element('nav');
export const notice = element('notice');
export const errorBox = element('error');
// ---------------------------------------------------------------------------------------------------------------
// DOM helpers: text only.

/**
 * Creates an element. `props` sets safe properties (className, type, id, htmlFor, value, checked, disabled, hidden,
 * name, placeholder, rows, title), `aria-*`/`data-*`/other attributes via setAttribute, and `on*` listeners.
 * Children: nodes, or strings/numbers added as text nodes; null/undefined/false are skipped.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Props | null} [props]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props, ...children) {
  const node = document.createElement(tag);
  const properties = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (node));
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2).toLowerCase(), /** @type {EventListener} */ (value));
    else if (['className', 'type', 'id', 'htmlFor', 'value', 'checked', 'disabled', 'hidden', 'name', 'placeholder', 'rows', 'title', 'required', 'autocomplete'].includes(name)) properties[name] = value;
    else node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

/**
 * What `h` sets on an element; the usual listeners are typed, so that handlers know their event.
 * @typedef {{
 *   onclick?: (event: MouseEvent & { currentTarget: HTMLElement }) => unknown,
 *   onsubmit?: (event: SubmitEvent) => unknown,
 *   oninput?: (event: Event) => unknown,
 *   onchange?: (event: Event) => unknown,
 * } & Record<string, unknown>} Props
 */

/**
 * Something to put in an element: a node, text (strings and numbers become text nodes), nothing
 * (null, undefined, false: skipped), or a list of these.
 * @typedef {Node | string | number | null | undefined | false | ChildList} Child
 */
/** @typedef {readonly Child[]} ChildList */

/**
 * @template {Node} N
 * @param {N} node
 * @param {readonly Child[]} children
 * @returns {N}
 */
export function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/**
 * @template {Node} N
 * @param {N} node
 * @returns {N}
 */
export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

let fieldCounter = 0;
/**
 * A labelled control: <label>text <control id=...></label>.
 * @param {string} text
 * @param {HTMLElement} control
 */
export function field(text, control) {
  fieldCounter += 1;
  if (!control.id) control.id = `f${fieldCounter}`;
  return h('label', { htmlFor: control.id }, text, control);
}

/**
 * @param {string} text
 * @param {Record<string, unknown>} [props]
 */
export function checkbox(text, props) {
  fieldCounter += 1;
  const input = h('input', { type: 'checkbox', id: `f${fieldCounter}`, ...props });
  return { input, label: h('label', { className: 'check', htmlFor: input.id }, input, text) };
}

/**
 * A table with a caption and column headers, or the `empty` text when there is no row.
 * @param {string} caption
 * @param {readonly string[]} headers
 * @param {readonly HTMLTableRowElement[]} rows
 * @param {string} empty
 */
export function table(caption, headers, rows, empty) {
  if (!rows.length) return h('p', { className: 'muted' }, empty);
  return h(
    'table',
    {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map((text) => h('th', { scope: 'col' }, text)))),
    h('tbody', {}, rows),
  );
}

/** @param {string} text */
export function badge(text) {
  return h('span', { className: `badge ${String(text).replace(/[^a-z-]/g, '')}` }, text);
}

/**
 * An instant as `YYYY-MM-DD hh:mm:ss UTC` ('—' when absent).
 * @param {string | null | undefined} iso
 */
export function when(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * A payload for reading: JSON indented, anything else as it is.
 * @param {string | null | undefined} payload
 * @param {string | null | undefined} contentType
 */
export function pretty(payload, contentType) {
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
