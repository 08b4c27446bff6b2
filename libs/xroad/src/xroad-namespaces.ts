/** Namespaces of SOAP 1.1 and the X-Road message protocol 4.0: defined here only for this lib. */
export const XRoadNs = {
  SOAP11: 'http://schemas.xmlsoap.org/soap/envelope/',
  XROAD: 'http://x-road.eu/xsd/xroad.xsd',
  XROAD_ID: 'http://x-road.eu/xsd/identifiers',
  /** Körpü's own elements in SOAP Fault details. */
  KORPU_ERROR: 'urn:korpu:error',
} as const;

export const XROAD_PROTOCOL_VERSION = '4.0';

/** algorithmId of xrd:requestHash. */
export const REQUEST_HASH_ALGORITHM = 'http://www.w3.org/2001/04/xmlenc#sha512';
