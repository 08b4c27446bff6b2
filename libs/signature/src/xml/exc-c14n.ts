import { Element, Node } from '@xmldom/xmldom';
import { ExclusiveCanonicalization } from 'xml-crypto';

const XMLNS = 'http://www.w3.org/2000/xmlns/';
const c14n = new ExclusiveCanonicalization();

/**
 * Exclusive XML canonicalization (without comments) of an element in its document context, using
 * xml-crypto's implementation. `inclusivePrefixes` is the InclusiveNamespaces PrefixList, if any.
 */
export function excC14n(el: Element, inclusivePrefixes: string[] = []): string {
  const ancestorNamespaces = inclusivePrefixes.length ? inScopeNamespaces(el) : [];
  const process = c14n.process.bind(c14n) as unknown as (node: unknown, options: unknown) => string;
  return process(el, {
    inclusiveNamespacesPrefixList: inclusivePrefixes,
    ancestorNamespaces,
  });
}

/** Namespace declarations in scope on the parent chain of `el` (nearest wins). */
function inScopeNamespaces(el: Element): { prefix: string; namespaceURI: string }[] {
  const seen = new Map<string, string>();
  for (let n: Node | null = el.parentNode; n && n.nodeType === Node.ELEMENT_NODE; n = n.parentNode) {
    const attrs = (n as Element).attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs.item(i)!;
      if (a.namespaceURI === XMLNS && a.prefix === 'xmlns' && a.localName && !seen.has(a.localName)) seen.set(a.localName, a.value ?? '');
    }
  }
  return [...seen].map(([prefix, namespaceURI]) => ({ prefix, namespaceURI }));
}
