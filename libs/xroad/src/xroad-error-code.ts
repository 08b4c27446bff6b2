/** Stable codes of the X-Road SOAP message layer (parsing and building envelopes, identifiers). */
export enum XRoadErrorCode {
  /** Not well-formed XML, or not a SOAP 1.1 Envelope with one Header and one Body. */
  MESSAGE_MALFORMED = 'XROAD_MESSAGE_MALFORMED',
  /** A DOCTYPE (hence any entity declaration) is never accepted. */
  DOCTYPE_FORBIDDEN = 'XROAD_DOCTYPE_FORBIDDEN',
  /** Deeper, or with more elements or attributes, than XML_MAX_DEPTH / XML_MAX_ELEMENTS / XML_MAX_ATTRIBUTES allow. */
  XML_TOO_COMPLEX = 'XROAD_XML_TOO_COMPLEX',
  /** A required X-Road header (client, service, id, protocolVersion) is missing or malformed. */
  HEADER_INVALID = 'XROAD_HEADER_INVALID',
  /** protocolVersion is not 4.0. */
  PROTOCOL_VERSION_UNSUPPORTED = 'XROAD_PROTOCOL_VERSION_UNSUPPORTED',
  /** An identifier string is neither `INSTANCE/CLASS/CODE/SUBSYSTEM` nor a ministry subsystem `MLSP/<subsystem>`. */
  IDENTIFIER_INVALID = 'XROAD_IDENTIFIER_INVALID',
  /** The Body holds no payload element, or more than one. */
  BODY_INVALID = 'XROAD_BODY_INVALID',
}
