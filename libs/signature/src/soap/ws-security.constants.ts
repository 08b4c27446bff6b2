/** Namespaces and URIs of SOAP 1.1, WS-Security 1.0 and X-Road 4.0 message headers. */
export const Ns = {
  SOAP11: 'http://schemas.xmlsoap.org/soap/envelope/',
  WSSE: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  WSU: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  DS: 'http://www.w3.org/2000/09/xmldsig#',
  EC: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  XMLNS: 'http://www.w3.org/2000/xmlns/',
  XROAD: 'http://x-road.eu/xsd/xroad.xsd',
  XROAD_ID: 'http://x-road.eu/xsd/identifiers',
} as const;

export const WsseToken = {
  X509V3: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3',
  BASE64_BINARY: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary',
} as const;

/** X-Road 4.0 header elements (children of soap:Header in the xrd namespace) that carry identity and message id, and a reply's requestHash. */
export const XROAD_SIGNED_HEADERS = ['client', 'service', 'id', 'userId', 'issue', 'protocolVersion', 'requestHash'] as const;
export type XroadHeaderName = (typeof XROAD_SIGNED_HEADERS)[number];

/** Headers a verifier requires by default (they must be present and signed). */
export const DEFAULT_REQUIRED_XROAD_HEADERS: XroadHeaderName[] = ['client', 'service', 'id', 'protocolVersion'];
