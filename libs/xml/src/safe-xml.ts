import { DOMParser, Document, Element, MIME_TYPE, Node, XMLSerializer } from '@xmldom/xmldom';

export const DEFAULT_MAX_XML_BYTES = 10 * 1024 * 1024;

/** Why a document was refused; each capability maps this to its own error code. */
export type XmlRefusal = 'too-large' | 'doctype' | 'malformed';

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
  let doc: Document;
  try {
    doc = new DOMParser({
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

/** All elements of the document in the namespace with the local name, wherever they are. */
export function descendantsNamed(root: Document | Element, ns: string, localName: string): Element[] {
  const list = root.getElementsByTagNameNS(ns, localName);
  const out: Element[] = [];
  for (let i = 0; i < list.length; i++) out.push(list.item(i) as Element);
  return out;
}

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
