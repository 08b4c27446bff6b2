import { DOMParser, Document, Element, MIME_TYPE, Node, XMLSerializer, normalizeLineEndings } from '@xmldom/xmldom';

export const DEFAULT_MAX_XML_BYTES = 10 * 1024 * 1024;

/**
 * How complex a document may be. Checked by a linear pre-scan of the text that stops at the first limit, before
 * the DOM parser (whose cost grows faster than the text with depth) or any signature work runs.
 */
export interface XmlLimits {
  /** Deepest element nesting (the root is depth 1). A signed SOAP envelope with X-Road headers needs about 12. */
  maxDepth: number;
  /** Elements in the whole document. */
  maxElements: number;
  /** Attributes of one element, namespace declarations included. */
  maxAttributesPerElement: number;
}

export const DEFAULT_XML_LIMITS: Readonly<XmlLimits> = Object.freeze({ maxDepth: 64, maxElements: 10000, maxAttributesPerElement: 50 });

let limits: Readonly<XmlLimits> = DEFAULT_XML_LIMITS;

/**
 * Sets the limits of every parseXmlStrict call of this process (the defaults otherwise): each app sets them once
 * at boot from its configuration (readXmlLimits), so the signature and X-Road parsers use them too.
 */
export function configureXmlLimits(next: Partial<XmlLimits>): void {
  limits = Object.freeze({ ...DEFAULT_XML_LIMITS, ...next });
}

export function xmlLimits(): Readonly<XmlLimits> {
  return limits;
}

/** Why a document was refused; each capability maps this to its own error code. */
export type XmlRefusal = 'too-large' | 'doctype' | 'malformed' | 'too-complex';

export class XmlRefusedError extends Error {
  constructor(
    readonly reason: XmlRefusal,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'XmlRefusedError';
  }
}

/**
 * Parses XML with no DTD at all: a DOCTYPE or entity declaration is refused before parsing (no XXE, no
 * billion laughs), every parser warning is fatal, and xmldom never fetches anything.
 */
export function parseXmlStrict(xml: string, maxBytes = DEFAULT_MAX_XML_BYTES): Document {
  if (Buffer.byteLength(xml, 'utf8') > maxBytes) throw new XmlRefusedError('too-large', `XML exceeds ${maxBytes} bytes`);
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) {
    throw new XmlRefusedError('doctype', 'DOCTYPE and entity declarations are not accepted');
  }
  checkComplexity(xml, limits);
  let doc: Document;
  try {
    doc = new DOMParser({
      // No line/column on every node (nothing reads them, and errors thrown here do not carry them): ~10 % of parsing.
      locator: false,
      onError: (level, message) => {
        throw new Error(`${level}: ${message}`);
      },
    }).parseFromString(xml, MIME_TYPE.XML_TEXT);
  } catch (cause) {
    throw new XmlRefusedError('malformed', `XML cannot be parsed: ${(cause as Error).message}`, { cause });
  }
  if (doc.doctype) throw new XmlRefusedError('doctype', 'DOCTYPE is not accepted');
  if (!doc.documentElement) throw new XmlRefusedError('malformed', 'XML has no root element');
  return doc;
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const APOS = 0x27;

/**
 * One pass over the text counting element depth, elements and attributes per element; throws `too-complex` at
 * the first limit passed. Comments, CDATA sections and processing instructions are skipped, quoted attribute
 * values are not looked into. Well-formedness is left to the parser: an unterminated construct ends the scan.
 */
function checkComplexity(xml: string, max: Readonly<XmlLimits>): void {
  const refuse = (what: string, limit: number) => {
    throw new XmlRefusedError('too-complex', `XML exceeds the ${what} limit of ${limit}`);
  };
  let depth = 0;
  let elements = 0;
  let i = xml.indexOf('<');
  while (i !== -1 && i < xml.length) {
    const next = xml.charCodeAt(i + 1);
    if (xml.startsWith('<!--', i)) {
      i = skipPast(xml, '-->', i + 4);
    } else if (xml.startsWith('<![CDATA[', i)) {
      i = skipPast(xml, ']]>', i + 9);
    } else if (next === 0x3f /* ? */) {
      i = skipPast(xml, '?>', i + 2);
    } else if (next === 0x21 /* ! */) {
      i = skipPast(xml, '>', i + 2);
    } else if (next === SLASH) {
      depth -= 1;
      i = skipPast(xml, '>', i + 2);
    } else {
      elements += 1;
      if (elements > max.maxElements) refuse('element count', max.maxElements);
      // Walk the start tag: count `=` outside quotes (one per attribute), find its end and whether it closes itself.
      let attributes = 0;
      let j = i + 1;
      let quote = 0;
      let selfClosing = false;
      let closed = false;
      for (; j < xml.length; j++) {
        const c = xml.charCodeAt(j);
        if (quote) {
          if (c === quote) quote = 0;
        } else if (c === QUOTE || c === APOS) {
          quote = c;
        } else if (c === EQUALS) {
          attributes += 1;
          if (attributes > max.maxAttributesPerElement) refuse('attributes per element', max.maxAttributesPerElement);
        } else if (c === GT) {
          selfClosing = xml.charCodeAt(j - 1) === SLASH;
          closed = true;
          break;
        } else if (c === LT) {
          break; // not well-formed: the parser says so; the next tag is counted all the same
        }
      }
      if (j >= xml.length) return;
      if (!selfClosing) {
        depth += 1;
        if (depth > max.maxDepth) refuse('element depth', max.maxDepth);
      }
      i = closed ? j + 1 : j;
    }
    if (i === -1) return;
    i = xml.indexOf('<', i);
  }
}

/** The index just after `end` searched from `from`; -1 when it does not occur. */
function skipPast(xml: string, end: string, from: number): number {
  const at = xml.indexOf(end, from);
  return at === -1 ? -1 : at + end.length;
}

/** Serializes a node; an element taken out of its document keeps the namespace declarations it uses. */
export function serializeXml(node: Document | Node): string {
  return new XMLSerializer().serializeToString(node);
}

/** Element children of `parent` (text, comments and PIs skipped). */
export function childElements(parent: Node): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) if (n.nodeType === Node.ELEMENT_NODE) out.push(n as Element);
  return out;
}

export function childrenNamed(parent: Node, ns: string, localName: string): Element[] {
  return childElements(parent).filter((e) => e.namespaceURI === ns && e.localName === localName);
}

export function childNamed(parent: Node, ns: string, localName: string): Element | undefined {
  return childrenNamed(parent, ns, localName)[0];
}

/** Every element below `root` (not `root` itself), in document order. */
export function descendantElements(root: Document | Element | Node, out: Element[] = []): Element[] {
  for (let n = root.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === Node.ELEMENT_NODE) {
      out.push(n as Element);
      descendantElements(n, out);
    }
  }
  return out;
}

/**
 * All elements in the namespace with the local name below `root` (the document element included when `root` is the
 * document), in document order, like getElementsByTagNameNS but walked directly: xmldom's live list costs several
 * times more on a large document.
 */
export function descendantsNamed(root: Document | Element, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  let n: Node | null = root.firstChild;
  while (n) {
    if (n.nodeType === Node.ELEMENT_NODE) {
      const e = n as Element;
      if (e.localName === localName && e.namespaceURI === ns) out.push(e);
      if (e.firstChild) {
        n = e.firstChild;
        continue;
      }
    }
    while (n && !n.nextSibling) {
      n = n.parentNode;
      if (n === root) n = null;
    }
    if (n) n = n.nextSibling;
  }
  return out;
}

/** The namespace URI bound to `prefix` ('' for the default namespace) on `el` or its nearest ancestor declaring it. */
export function namespaceInScope(el: Element, prefix: string): string | undefined {
  for (let n: Node | null = el; n && n.nodeType === Node.ELEMENT_NODE; n = n.parentNode) {
    const attrs = (n as Element).attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs.item(i)!;
      if (a.namespaceURI === XMLNS_NS && (prefix ? a.prefix === 'xmlns' && a.localName === prefix : a.name === 'xmlns')) return a.value;
    }
  }
  if (prefix === 'xml') return 'http://www.w3.org/XML/1998/namespace';
  return undefined;
}

/**
 * The line-end normalization xmldom applies to a text before parsing it (CR LF, CR, NEL, LS, PS become LF): the
 * offsets of a DOM's nodes refer to this text, and text inserted at them must go into it.
 */
export function normalizeXmlLineEndings(xml: string): string {
  return LINE_ENDS.test(xml) ? normalizeLineEndings(xml) : xml;
}

const LINE_ENDS = /[\r\u0085\u2028\u2029]/;
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** Text of an element that must contain nothing but text (no comments, elements, PIs); undefined otherwise. */
export function pureText(el: Element): string | undefined {
  let text = '';
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== Node.TEXT_NODE) return undefined;
    text += (n as unknown as { data: string }).data;
  }
  return text;
}

export function textOf(el: Element | undefined): string | undefined {
  const text = el?.textContent?.trim();
  return text ? text : undefined;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
