// @ts-check


/** An element the page (index.html) must have. */
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
 */
export function h(tag, props, ...children) {
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

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

let fieldCounter = 0;
/** A labelled control: <label>text <control id=...></label>. */
export function field(text, control) {
  fieldCounter += 1;
  if (!control.id) control.id = `f${fieldCounter}`;
  return h('label', { htmlFor: control.id }, text, control);
}

export function checkbox(text, props) {
  fieldCounter += 1;
  const input = h('input', { type: 'checkbox', id: `f${fieldCounter}`, ...props });
  return { input, label: h('label', { className: 'check', htmlFor: input.id }, input, text) };
}

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

export function badge(text) {
  return h('span', { className: `badge ${String(text).replace(/[^a-z-]/g, '')}` }, text);
}

export function when(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

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
