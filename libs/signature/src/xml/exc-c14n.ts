import { Attr, Element } from '@xmldom/xmldom';
import { namespaceInScope } from '@korpu/xml';

const XMLNS = 'http://www.w3.org/2000/xmlns/';

const ELEMENT = 1;
const TEXT = 3;
const CDATA = 4;
const PI = 7;
const COMMENT = 8;

/**
 * Exclusive XML canonicalization 1.0 without comments (https://www.w3.org/TR/xml-exc-c14n/) of an element of an
 * xmldom document, in its document context. `inclusivePrefixes` is the InclusiveNamespaces PrefixList, if any
 * (`#default` is not supported and must be filtered out by the caller, as the verifier does).
 *
 * Rules, from the recommendation: a namespace declaration is written on an element when the element or one of its
 * attributes uses the prefix (or the default namespace, for an unprefixed element) and the nearest output ancestor
 * did not write the same binding; the prefixes of the PrefixList are treated as in inclusive c14n (declared on the
 * element, or in scope on the apex); declarations come before attributes, sorted by prefix (the default one first),
 * attributes sorted by namespace URI then local name (unqualified ones first), both by code point; empty elements
 * get an end tag; comments are dropped; processing instructions are kept; text and attribute values are escaped as
 * the recommendation says (`&amp; &lt; &gt; &#xD;` in text, `&amp; &lt; &quot; &#x9; &#xA; &#xD;` in attributes).
 *
 * Written for speed (one pass, no intermediate arrays for elements without attributes): it canonicalizes the signed
 * parts of a 100 KB SOAP message several times faster than xml-crypto's ExclusiveCanonicalization, whose output it
 * matches except where xml-crypto departs from the recommendation (it orders namespace prefixes with localeCompare,
 * concatenates namespace URI and local name when sorting attributes, and prints a processing instruction as text).
 */
export function excC14n(el: Element, inclusivePrefixes: readonly string[] = []): string {
  const c = new Canonicalizer(inclusivePrefixes);
  c.element(el, true);
  return c.out;
}

class Canonicalizer {
  out = '';
  /** Bindings written by the output ancestors of the current element: prefix, URI, prefix, URI... ('' is the default namespace). */
  private readonly rendered: string[] = [];

  constructor(private readonly inclusive: readonly string[]) {}

  element(el: Element, apex: boolean): void {
    const rendered = this.rendered;
    const mark = rendered.length;
    const attrs = el.attributes;
    const n = attrs.length;

    // The element's own namespace (the default one for an unprefixed element; none is the empty URI).
    const prefix = el.prefix ?? '';
    this.need(prefix, el.namespaceURI ?? '');

    let regular: Attr[] | undefined;
    for (let i = 0; i < n; i++) {
      const a = attrs[i];
      if (a.namespaceURI === XMLNS) {
        // A declaration: written only for a PrefixList prefix (as inclusive c14n would), otherwise only when used.
        if (this.inclusive.length && a.prefix === 'xmlns' && this.inclusive.includes(a.localName ?? '')) this.need(a.localName ?? '', a.value);
        continue;
      }
      (regular ??= []).push(a);
      const p = a.prefix;
      if (p && p !== 'xml') this.need(p, a.namespaceURI ?? '');
    }
    if (apex && this.inclusive.length) {
      for (const p of this.inclusive) {
        const uri = p === 'xml' ? undefined : namespaceInScope(el, p);
        if (uri !== undefined) this.need(p, uri);
      }
    }

    let tag = '<' + el.tagName;
    if (rendered.length > mark) tag += declarations(rendered, mark);
    if (regular) {
      if (regular.length > 1) regular.sort(compareAttributes);
      for (const a of regular) tag += ' ' + a.name + '="' + escapeAttribute(a.value) + '"';
    }
    this.out += tag + '>';

    for (let child = el.firstChild; child; child = child.nextSibling) {
      switch (child.nodeType) {
        case ELEMENT:
          this.element(child as Element, false);
          break;
        case TEXT:
        case CDATA:
          this.out += escapeText((child as unknown as { data: string }).data);
          break;
        case PI: {
          const pi = child as unknown as { target: string; data: string };
          this.out += pi.data ? '<?' + pi.target + ' ' + pi.data + '?>' : '<?' + pi.target + '?>';
          break;
        }
        case COMMENT:
          break;
        default:
          throw new Error(`exclusive c14n: unexpected node type ${child.nodeType}`);
      }
    }
    this.out += '</' + el.tagName + '>';
    rendered.length = mark;
  }

  /** Records `prefix` → `uri` as to be written here unless the nearest output ancestor (or this element) already wrote it. */
  private need(prefix: string, uri: string): void {
    const rendered = this.rendered;
    for (let i = rendered.length - 2; i >= 0; i -= 2) {
      if (rendered[i] === prefix) {
        if (rendered[i + 1] === uri) return;
        break;
      }
    }
    // No ancestor wrote a default namespace: the empty one is in effect and needs no xmlns="".
    if (prefix === '' && uri === '' && !hasPrefix(rendered, '')) return;
    rendered.push(prefix, uri);
  }
}

function hasPrefix(rendered: string[], prefix: string): boolean {
  for (let i = 0; i < rendered.length; i += 2) if (rendered[i] === prefix) return true;
  return false;
}

/** The declarations this element writes (entries from `mark` on), sorted by prefix, the default namespace first. */
function declarations(rendered: string[], mark: number): string {
  const pairs: [string, string][] = [];
  for (let i = mark; i < rendered.length; i += 2) pairs.push([rendered[i], rendered[i + 1]]);
  if (pairs.length > 1) pairs.sort((a, b) => compareCodePoints(a[0], b[0]));
  let s = '';
  for (const [p, uri] of pairs) s += (p ? ' xmlns:' + p : ' xmlns') + '="' + escapeAttribute(uri) + '"';
  return s;
}

function compareAttributes(a: Attr, b: Attr): number {
  return compareCodePoints(a.namespaceURI ?? '', b.namespaceURI ?? '') || compareCodePoints(a.localName ?? a.name, b.localName ?? b.name);
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Lexicographic order by Unicode code point, as c14n requires (UTF-16 order differs only beyond U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : 1;
  const x = [...a].map((ch) => ch.codePointAt(0)!);
  const y = [...b].map((ch) => ch.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

const TEXT_SPECIAL = /[&<>\r]/;
const TEXT_SPECIAL_ALL = /[&<>\r]/g;
const ATTRIBUTE_SPECIAL = /[&<"\t\n\r]/;
const ATTRIBUTE_SPECIAL_ALL = /[&<"\t\n\r]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;' };
const escapeOne = (ch: string): string => ESCAPES[ch];

export function escapeText(text: string): string {
  return TEXT_SPECIAL.test(text) ? text.replace(TEXT_SPECIAL_ALL, escapeOne) : text;
}

export function escapeAttribute(value: string): string {
  return ATTRIBUTE_SPECIAL.test(value) ? value.replace(ATTRIBUTE_SPECIAL_ALL, escapeOne) : value;
}
