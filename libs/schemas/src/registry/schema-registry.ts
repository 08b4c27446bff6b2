import { createHash } from 'node:crypto';
import { SchemaErrorCode, SchemaWarningCode } from '../schema-error-code';
import { SchemaException } from '../schema.exception';
import { JsonPayloadValidators } from '../json/json-payload.validator';
import { loadLibxml2 } from '../xml/libxml2.adapter';
import { XmlPayloadValidators } from '../xml/xml-payload.validator';
import { CompatibilityMode } from '../compatibility/compatibility-mode';
import { mediaTypeOf, SchemaFormat, StoredMessageType, StoredSchemaVersion, VersionStatus } from './message-type';
import { loadSchemaFolder } from './schema-folder.loader';
import { PersonalDataMasker } from '../personal/personal-data.masker';

const JSON_SCHEMA_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

export interface SchemaRegistryLimits {
  /** At most this many violations are reported for a rejected payload (default 20). */
  maxViolations?: number;
  /**
   * A rejected JSON payload with more nodes than this reports only its first violation, so that describing a
   * huge bad payload costs no more than rejecting it (default 50,000).
   */
  fullReportNodeLimit?: number;
  /** Called on each accepted message of a deprecated version (to bump a metric). */
  onDeprecatedUse?: (use: { type: string; version: string }) => void;
}

export interface SchemaRegistryOptions extends SchemaRegistryLimits {
  /** The registry folder: `schemas/<message-type>/{type.json, v<N>.schema.json | v<N>.xsd}`. */
  directory: string;
}

export interface SchemaWarning {
  code: SchemaWarningCode;
  type: string;
  version: string;
  message: string;
  /** For a `Sunset` header. */
  sunset?: string;
  successor?: string;
}

export interface ValidationOutcome {
  type: string;
  version: string;
  format: SchemaFormat;
  warnings: SchemaWarning[];
}

export interface VersionSummary {
  version: string;
  status: VersionStatus;
  sunset?: string;
  successor?: string;
  note?: string;
  fileName: string;
  mediaType: string;
}

export interface MessageTypeSummary {
  name: string;
  owner: string;
  description: string;
  format: SchemaFormat;
  compatibility: CompatibilityMode;
  carriedBy?: string;
  versions: VersionSummary[];
}

export interface SchemaDocument {
  type: string;
  version: string;
  fileName: string;
  mediaType: string;
  source: string;
  /** Strong ETag of the file content (quoted). */
  etag: string;
}

export interface DeprecatedUseCount {
  type: string;
  version: string;
  count: number;
}

interface Entry {
  type: StoredMessageType;
  version: StoredSchemaVersion;
  key: string;
}

/**
 * The versioned message schemas, loaded once at boot: lookup by (type, version), payload validation with bounded
 * violation reports, deprecation warnings and counts. Built with `SchemaRegistry.load` (reads the folder) or
 * `SchemaRegistry.fromTypes` (already-read content).
 */
export class SchemaRegistry {
  private readonly deprecatedUseCounts = new Map<string, number>();
  /** type → version → entry, built once so that a lookup is two map reads. */
  private readonly entries = new Map<string, Map<string, Entry>>();
  /** Masks the personal data the registry declares (x-personal, personal.json) in payloads of its types. */
  readonly personalData: PersonalDataMasker;

  private constructor(
    private readonly types: ReadonlyMap<string, StoredMessageType>,
    private readonly json: JsonPayloadValidators,
    private readonly xml: XmlPayloadValidators | undefined,
    private readonly onDeprecatedUse: SchemaRegistryLimits['onDeprecatedUse'],
  ) {
    this.personalData = PersonalDataMasker.fromTypes([...types.values()]);
    for (const type of types.values()) {
      this.entries.set(
        type.name,
        new Map(type.versions.map((v) => [v.version, { type, version: v, key: keyOf(type.name, v.version) }])),
      );
    }
  }

  static async load(options: SchemaRegistryOptions): Promise<SchemaRegistry> {
    return SchemaRegistry.fromTypes(await loadSchemaFolder(options.directory), options);
  }

  static async fromTypes(
    types: readonly StoredMessageType[],
    limits: SchemaRegistryLimits = {},
  ): Promise<SchemaRegistry> {
    const maxViolations = limits.maxViolations ?? 20;
    if (!Number.isInteger(maxViolations) || maxViolations < 1) {
      throw SchemaException.registryInvalid(`maxViolations must be a positive integer, got ${maxViolations}`);
    }
    const json = new JsonPayloadValidators({
      maxViolations,
      fullReportNodeLimit: limits.fullReportNodeLimit ?? 50_000,
    });
    const xml = types.some((t) => t.descriptor.format === 'xml')
      ? new XmlPayloadValidators(await loadLibxml2(), maxViolations)
      : undefined;

    const byName = new Map<string, StoredMessageType>();
    for (const type of types) {
      if (byName.has(type.name)) throw SchemaException.registryInvalid(`Message type '${type.name}' is defined twice`);
      byName.set(type.name, type);
      for (const version of type.versions) {
        if (version.descriptor.status === 'retired') continue; // never validated again: not compiled
        const where = `${type.name}/${version.fileName}`;
        try {
          if (type.descriptor.format === 'json')
            json.add(keyOf(type.name, version.version), parseJsonSchema(version.source, where));
          else xml?.add(keyOf(type.name, version.version), version.source);
        } catch (cause: unknown) {
          xml?.dispose();
          if (cause instanceof SchemaException) throw cause;
          throw SchemaException.registryInvalid(`${where} does not compile: ${errorMessage(cause)}`, cause);
        }
      }
    }
    return new SchemaRegistry(byName, json, xml, limits.onDeprecatedUse);
  }

  /**
   * Validates one message payload against (type, version): a parsed JSON value for json types, the XML text (the
   * payload element serialized with its namespace declarations) for xml types. `version` is `2`, `'2'` or `'v2'`.
   * Returns warnings (a deprecated version) or throws a SchemaException: SCHEMA_UNKNOWN_TYPE,
   * SCHEMA_UNKNOWN_VERSION, SCHEMA_VERSION_RETIRED, SCHEMA_VALIDATION_FAILED, SCHEMA_MALFORMED_XML,
   * SCHEMA_XML_DTD_FORBIDDEN.
   */
  validate(type: string, version: string | number, payload: unknown): ValidationOutcome {
    const entry = this.lookup(type, version);
    const { name, descriptor } = entry.type;
    const v = entry.version.version;
    if (entry.version.descriptor.status === 'retired')
      throw SchemaException.retired(name, v, entry.version.descriptor.successor);

    if (descriptor.format === 'json') {
      const result = this.json.validate(entry.key, payload);
      if (!result.valid) throw SchemaException.validationFailed(name, v, result.violations, result.truncated);
    } else {
      if (typeof payload !== 'string') {
        throw new SchemaException(SchemaErrorCode.MALFORMED_XML, `Payload of ${name} v${v} must be XML text`, {
          details: { type: name, version: v },
        });
      }
      const result = (this.xml as XmlPayloadValidators).validate(entry.key, payload);
      switch (result.outcome) {
        case 'valid':
          break;
        case 'doctype-forbidden':
          throw SchemaException.dtdForbidden(name, v);
        case 'malformed':
          throw SchemaException.malformedXml(name, v, result.violations);
        case 'invalid':
          throw SchemaException.validationFailed(name, v, result.violations, result.truncated);
      }
    }

    const warnings: SchemaWarning[] = [];
    if (entry.version.descriptor.status === 'deprecated') {
      this.deprecatedUseCounts.set(entry.key, (this.deprecatedUseCounts.get(entry.key) ?? 0) + 1);
      this.onDeprecatedUse?.({ type: name, version: v });
      const { sunset, successor } = entry.version.descriptor;
      warnings.push({
        code: SchemaWarningCode.VERSION_DEPRECATED,
        type: name,
        version: v,
        message:
          `Version ${v} of ${name} is deprecated` +
          (sunset ? `, to be retired after ${sunset}` : '') +
          (successor ? `; use version ${successor}` : ''),
        ...(sunset ? { sunset } : {}),
        ...(successor ? { successor } : {}),
      });
    }
    return { type: name, version: v, format: descriptor.format, warnings };
  }

  listTypes(): MessageTypeSummary[] {
    return [...this.types.values()].map(summarize);
  }

  getMessageType(name: string): MessageTypeSummary | undefined {
    const type = this.types.get(name);
    return type ? summarize(type) : undefined;
  }

  /** The schema file of (type, version), retired ones included; undefined when either is unknown. */
  findSchemaDocument(type: string, version: string | number): SchemaDocument | undefined {
    const stored = this.types.get(type);
    const found = stored?.versions.find((v) => v.version === normalizeVersion(version));
    if (!stored || !found) return undefined;
    return {
      type,
      version: found.version,
      fileName: found.fileName,
      mediaType: mediaTypeOf(stored.descriptor.format),
      source: found.source,
      etag: `"${createHash('sha256').update(found.source).digest('base64url').slice(0, 27)}"`,
    };
  }

  /** Accepted messages of deprecated versions since boot, per (type, version). */
  deprecatedUses(): DeprecatedUseCount[] {
    return [...this.deprecatedUseCounts].map(([key, count]) => {
      const at = key.lastIndexOf('@');
      return { type: key.slice(0, at), version: key.slice(at + 1), count };
    });
  }

  /** Frees the libxml2 validators (WebAssembly memory). */
  dispose(): void {
    this.xml?.dispose();
  }

  onModuleDestroy(): void {
    this.dispose();
  }

  private lookup(type: string, version: string | number): Entry {
    const versions = this.entries.get(type);
    if (!versions) throw SchemaException.unknownType(type);
    const entry = versions.get(normalizeVersion(version));
    if (!entry) throw SchemaException.unknownVersion(type, String(version), [...versions.keys()]);
    return entry;
  }
}

function summarize(type: StoredMessageType): MessageTypeSummary {
  const { owner, description, format, compatibility, carriedBy } = type.descriptor;
  return {
    name: type.name,
    owner,
    description,
    format,
    compatibility,
    ...(carriedBy ? { carriedBy } : {}),
    versions: type.versions.map((v) => ({
      version: v.version,
      ...v.descriptor,
      fileName: v.fileName,
      mediaType: mediaTypeOf(format),
    })),
  };
}

function keyOf(type: string, version: string): string {
  return `${type}@${version}`;
}

function normalizeVersion(version: string | number): string {
  if (typeof version === 'number') return String(version);
  const first = version.charCodeAt(0);
  return first === 0x76 || first === 0x56 ? version.slice(1) : version; // 'v' | 'V'
}

function parseJsonSchema(source: string, where: string): object {
  let schema: unknown;
  try {
    schema = JSON.parse(source);
  } catch (cause: unknown) {
    throw SchemaException.registryInvalid(`${where} is not valid JSON`, cause);
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw SchemaException.registryInvalid(`${where} is not a JSON Schema object`);
  }
  if ((schema as { $schema?: unknown }).$schema !== JSON_SCHEMA_2020_12) {
    throw SchemaException.registryInvalid(`${where} must declare "$schema": "${JSON_SCHEMA_2020_12}"`);
  }
  return schema;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}
