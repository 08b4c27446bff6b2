import { CompatibilityMode } from '../compatibility/compatibility-mode';

export type SchemaFormat = 'json' | 'xml';
export type VersionStatus = 'active' | 'deprecated' | 'retired';

/** One entry of `versions` in type.json. */
export interface VersionDescriptor {
  status: VersionStatus;
  /** ISO date after which a deprecated version is to be retired (for a `Sunset` header). */
  sunset?: string;
  /** The version callers should move to. */
  successor?: string;
  note?: string;
}

/** The content of `schemas/<message-type>/type.json`. */
export interface TypeDescriptor {
  owner: string;
  description: string;
  format: SchemaFormat;
  compatibility: CompatibilityMode;
  carriedBy?: string;
  versions: Record<string, VersionDescriptor>;
}

/** One schema file as read from the registry folder. */
export interface StoredSchemaVersion {
  version: string;
  descriptor: VersionDescriptor;
  /** `v1.schema.json` or `v1.xsd`. */
  fileName: string;
  source: string;
}

/** One message type as read from the registry folder; versions in ascending numeric order. */
export interface StoredMessageType {
  name: string;
  descriptor: TypeDescriptor;
  versions: StoredSchemaVersion[];
  /** xml types: the personal elements listed in personal.json beside the XSDs (json types mark `x-personal`). */
  personal?: string[];
}

export const MESSAGE_TYPE_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const SCHEMA_FILE_NAME = /^v([1-9][0-9]{0,3})\.(schema\.json|xsd)$/;

export function schemaFileName(version: string, format: SchemaFormat): string {
  return format === 'json' ? `v${version}.schema.json` : `v${version}.xsd`;
}

export function mediaTypeOf(format: SchemaFormat): string {
  return format === 'json' ? 'application/schema+json' : 'application/xml';
}
