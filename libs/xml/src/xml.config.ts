import { EnvReader } from '@korpu/config';
import { DEFAULT_XML_LIMITS, XmlLimits } from './safe-xml';

/**
 * XML_MAX_DEPTH (default 64), XML_MAX_ELEMENTS (default 10000), XML_MAX_ATTRIBUTES (per element, default 50):
 * the limits of every XML document the process parses (partner requests, partner replies), applied with
 * configureXmlLimits at boot.
 */
export function readXmlLimits(read: EnvReader): XmlLimits {
  return {
    maxDepth: read.int('XML_MAX_DEPTH', DEFAULT_XML_LIMITS.maxDepth, { min: 8, max: 1000 }),
    maxElements: read.int('XML_MAX_ELEMENTS', DEFAULT_XML_LIMITS.maxElements, { min: 100, max: 10_000_000 }),
    maxAttributesPerElement: read.int('XML_MAX_ATTRIBUTES', DEFAULT_XML_LIMITS.maxAttributesPerElement, { min: 4, max: 10_000 }),
  };
}
