export {
  DEFAULT_MAX_XML_BYTES,
  DEFAULT_XML_LIMITS,
  XmlRefusedError,
  childElements,
  childNamed,
  configureXmlLimits,
  childrenNamed,
  descendantElements,
  descendantsNamed,
  escapeXml,
  namespaceInScope,
  normalizeXmlLineEndings,
  parseXmlStrict,
  pureText,
  serializeXml,
  textOf,
  xmlLimits,
} from './safe-xml';
export type { XmlLimits, XmlRefusal } from './safe-xml';
export { readXmlLimits } from './xml.config';
export { locateStartTags } from './start-tags';
export type { StartTagLocation } from './start-tags';
