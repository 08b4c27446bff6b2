import { KorpuException } from '@korpu/errors';
import { SchemaErrorCode } from './schema-error-code';

/** One schema violation, bounded in number by the registry's `maxViolations`. */
export interface SchemaViolation {
  /** JSON Pointer into the payload (JSON), or the XPath of the offending node / `line:col` (XML). */
  pointer: string;
  /** The schema rule that failed: the JSON Schema keyword (`pattern`, `required`...) or the XSD error class. */
  rule: string;
  message: string;
  /** XML only: the line libxml2 reports (1 for a payload on one line). */
  line?: number;
}

const DEFAULT_STATUS: Record<SchemaErrorCode, number> = {
  [SchemaErrorCode.UNKNOWN_TYPE]: 400,
  [SchemaErrorCode.UNKNOWN_VERSION]: 400,
  [SchemaErrorCode.VERSION_RETIRED]: 410,
  [SchemaErrorCode.VALIDATION_FAILED]: 422,
  [SchemaErrorCode.MALFORMED_XML]: 400,
  [SchemaErrorCode.XML_DTD_FORBIDDEN]: 400,
  [SchemaErrorCode.REGISTRY_INVALID]: 500,
};

export class SchemaException extends KorpuException<SchemaErrorCode> {
  constructor(
    code: SchemaErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; status?: number; cause?: unknown } = {},
  ) {
    super(code, message, {
      status: options.status ?? DEFAULT_STATUS[code],
      retryable: false,
      details: options.details,
      cause: options.cause,
    });
  }

  static unknownType(type: string, status?: number): SchemaException {
    return new SchemaException(SchemaErrorCode.UNKNOWN_TYPE, `Unknown message type '${type}'`, {
      details: { type },
      status,
    });
  }

  static unknownVersion(type: string, version: string, known: readonly string[], status?: number): SchemaException {
    return new SchemaException(SchemaErrorCode.UNKNOWN_VERSION, `Message type '${type}' has no version '${version}'`, {
      details: { type, version, knownVersions: [...known] },
      status,
    });
  }

  static retired(type: string, version: string, successor?: string): SchemaException {
    return new SchemaException(
      SchemaErrorCode.VERSION_RETIRED,
      `Version ${version} of message type '${type}' is retired and no longer accepted`,
      { details: { type, version, ...(successor ? { successor } : {}) } },
    );
  }

  static validationFailed(
    type: string,
    version: string,
    violations: SchemaViolation[],
    truncated: boolean,
  ): SchemaException {
    return new SchemaException(SchemaErrorCode.VALIDATION_FAILED, `Payload does not conform to ${type} v${version}`, {
      details: { type, version, violations, truncated },
    });
  }

  static malformedXml(type: string, version: string, violations: SchemaViolation[]): SchemaException {
    return new SchemaException(SchemaErrorCode.MALFORMED_XML, `Payload of ${type} v${version} is not well-formed XML`, {
      details: { type, version, violations },
    });
  }

  static dtdForbidden(type: string, version: string): SchemaException {
    return new SchemaException(
      SchemaErrorCode.XML_DTD_FORBIDDEN,
      `Payload of ${type} v${version} carries a document type declaration; DTDs and entity declarations are not accepted`,
      { details: { type, version } },
    );
  }

  static registryInvalid(message: string, cause?: unknown): SchemaException {
    return new SchemaException(SchemaErrorCode.REGISTRY_INVALID, message, { cause });
  }
}
