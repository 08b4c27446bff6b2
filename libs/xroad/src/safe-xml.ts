import { DOMParser, Document, Element, MIME_TYPE, Node, XMLSerializer } from '@xmldom/xmldom';
import { XRoadErrorCode } from './xroad-error-code';
import { XRoadException } from './xroad.exception';

const MAX_XML_BYTES = 10 * 1024 * 1024;

/**
 * Parses XML with no DTD at all: a DOCTYPE or entity declaration is refused before parsing (no XXE, no
 * billion laughs), every parser warning is fatal, and xmldom never fetches anything.
 */
export function parseXmlSafe(xml: string, maxBytes = MAX_XML_BYTES): Document {
  if (Buffer.byteLength(xml, 'utf8') > maxBytes) throw new XRoadException(XRoadErrorCode.MESSAGE_MALFORMED, `XML exceeds ${maxBytes} bytes`);
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) {
    throw new XRoadException(XRoadErrorCode.DOCTYPE_FORBIDDEN, 'DOCTYPE and entity declarations are not accepted');
  }
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        throw new Error(`${level}: ${message}`);
      },
    }).parseFromString(xml, MIME_TYPE.XML_TEXT);
  } catch (cause) {
    throw new XRoadException(XRoadErrorCode.MESSAGE_MALFORMED, `XML cannot be parsed: ${(cause as Error).message}`, undefined, cause);
  }
  if (doc.doctype) throw new XRoadException(XRoadErrorCode.DOCTYPE_FORBIDDEN, 'DOCTYPE is not accepted');
  if (!doc.documentElement) throw new XRoadException(XRoadErrorCode.MESSAGE_MALFORMED, 'XML has no root element');
  return doc;
}

/** Serializes a node; an element taken out of its document keeps the namespace declarations it uses. */
export function serializeXml(node: Document | Node): string {
  return new XMLSerializer().serializeToString(node);
}

export function childElements(parent: Node): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) if (n.nodeType === Node.ELEMENT_NODE) out.push(n as Element);
  return out;
}

export function childNamed(parent: Node, ns: string, localName: string): Element | undefined {
  return childElements(parent).find((e) => e.namespaceURI === ns && e.localName === localName);
}

export function textOf(el: Element | undefined): string | undefined {
  const text = el?.textContent?.trim();
  return text ? text : undefined;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** The single root element of an XML payload document, serialized without the XML declaration. */
export function payloadElementXml(payload: string): string {
  const doc = parseXmlSafe(payload);
  return serializeXml(doc.documentElement!);
}
