export {
  DEFAULT_MAX_XML_BYTES,
  XmlRefusedError,
  childElements,
  childNamed,
  childrenNamed,
  descendantsNamed,
  escapeXml,
  parseXmlStrict,
  pureText,
  serializeXml,
  textOf,
} from './safe-xml';
export type { XmlRefusal } from './safe-xml';
