import { Document } from '@xmldom/xmldom';
import { XmlRefusedError, parseXmlStrict, serializeXml } from '@korpu/xml';
import { XRoadErrorCode } from './xroad-error-code';
import { XRoadException } from './xroad.exception';

export { childElements, childNamed, escapeXml, serializeXml, textOf } from '@korpu/xml';

/** Strict parsing (no DTD, no entities, size-bounded) with refusals as X-Road error codes. */
export function parseXmlSafe(xml: string, maxBytes?: number): Document {
  try {
    return parseXmlStrict(xml, maxBytes);
  } catch (error) {
    if (!(error instanceof XmlRefusedError)) throw error;
    const code =
      error.reason === 'doctype' ? XRoadErrorCode.DOCTYPE_FORBIDDEN : error.reason === 'too-complex' ? XRoadErrorCode.XML_TOO_COMPLEX : XRoadErrorCode.MESSAGE_MALFORMED;
    throw new XRoadException(code, error.message, undefined, error.cause);
  }
}

/** The single root element of an XML payload document, serialized without the XML declaration. */
export function payloadElementXml(payload: string): string {
  const doc = parseXmlSafe(payload);
  return serializeXml(doc.documentElement!);
}
