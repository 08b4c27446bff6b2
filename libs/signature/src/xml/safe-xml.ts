import { Document } from '@xmldom/xmldom';
import { DEFAULT_MAX_XML_BYTES, XmlRefusedError, parseXmlStrict as parseStrict } from '@korpu/xml';
import { SignatureErrorCode } from '../signature-error-code';
import { SignatureException } from '../signature.exception';

export { DEFAULT_MAX_XML_BYTES, childElements, childrenNamed, descendantsNamed, pureText, serializeXml } from '@korpu/xml';

/** Strict parsing (no DTD, no entities, size-bounded) with refusals as signature error codes. */
export function parseXmlStrict(xml: string, maxBytes = DEFAULT_MAX_XML_BYTES): Document {
  try {
    return parseStrict(xml, maxBytes);
  } catch (error) {
    if (!(error instanceof XmlRefusedError)) throw error;
    const code =
      error.reason === 'doctype' ? SignatureErrorCode.XML_DOCTYPE_FORBIDDEN : error.reason === 'too-complex' ? SignatureErrorCode.XML_TOO_COMPLEX : SignatureErrorCode.XML_MALFORMED;
    throw new SignatureException(code, error.message, undefined, error.cause);
  }
}
