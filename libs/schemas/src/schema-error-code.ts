/** Stable error codes of the schemas capability; transports map them to the wire. */
export enum SchemaErrorCode {
  UNKNOWN_TYPE = 'SCHEMA_UNKNOWN_TYPE',
  UNKNOWN_VERSION = 'SCHEMA_UNKNOWN_VERSION',
  VERSION_RETIRED = 'SCHEMA_VERSION_RETIRED',
  VALIDATION_FAILED = 'SCHEMA_VALIDATION_FAILED',
  MALFORMED_XML = 'SCHEMA_MALFORMED_XML',
  XML_DTD_FORBIDDEN = 'SCHEMA_XML_DTD_FORBIDDEN',
  /** The schemas/ folder itself is broken (bad type.json, schema that does not compile): a boot failure. */
  REGISTRY_INVALID = 'SCHEMA_REGISTRY_INVALID',
}

/** Codes of the warnings `SchemaRegistry.validate` returns (not errors: the message is accepted). */
export enum SchemaWarningCode {
  VERSION_DEPRECATED = 'SCHEMA_VERSION_DEPRECATED',
}
