import { DOMParser, Document, Element, MIME_TYPE, Node, XMLSerializer } from '@xmldom/xmldom';
import { SignatureErrorCode } from '../signature-error-code';
import { SignatureException } from '../signature.exception';

export const DEFAULT_MAX_XML_BYTES = 10 * 1024 * 1024;

/**
 * Parses XML with no DTD at all: any DOCTYPE (hence any entity declaration) is refused before parsing,
 * and every parser warning or error is fatal. xmldom never fetches external resources.
 */
export function parseXmlStrict(xml: string, maxBytes = DEFAULT_MAX_XML_BYTES): Document {
  if (Buffer.byteLength(xml, 'utf8') > maxBytes) {
    throw new SignatureException(SignatureErrorCode.XML_MALFORMED, `XML exceeds ${maxBytes} bytes`);
  }
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) {
    throw new SignatureException(SignatureErrorCode.XML_DOCTYPE_FORBIDDEN, 'DOCTYPE and entity declarations are not accepted');
  }
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        throw new Error(`${level}: ${message}`);
      },
    }).parseFromString(xml, MIME_TYPE.XML_TEXT);
  } catch (cause) {
    throw new SignatureException(SignatureErrorCode.XML_MALFORMED, `XML cannot be parsed: ${(cause as Error).message}`, undefined, cause);
  }
  if (doc.doctype) throw new SignatureException(SignatureErrorCode.XML_DOCTYPE_FORBIDDEN, 'DOCTYPE is not accepted');
  if (!doc.documentElement) throw new SignatureException(SignatureErrorCode.XML_MALFORMED, 'XML has no root element');
  return doc;
}

export function serializeXml(doc: Document | Node): string {
  return new XMLSerializer().serializeToString(doc);
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
