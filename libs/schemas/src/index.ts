export { SchemaErrorCode, SchemaWarningCode } from './schema-error-code';
export { SchemaException } from './schema.exception';
export type { SchemaViolation } from './schema.exception';
export { SchemaRegistry } from './registry/schema-registry';
export type {
  DeprecatedUseCount,
  MessageTypeSummary,
  SchemaDocument,
  SchemaRegistryLimits,
  SchemaRegistryOptions,
  SchemaWarning,
  ValidationOutcome,
  VersionSummary,
} from './registry/schema-registry';
export { loadSchemaFolder } from './registry/schema-folder.loader';
export { PersonalDataMasker, maskValue, UNREADABLE_PAYLOAD } from './personal/personal-data.masker';
export { checkPersonalDeclarations } from './personal/check-personal-declarations';
export { PERSONAL_KEYWORD, PERSONAL_FILE } from './personal/personal-paths';
export type {
  SchemaFormat,
  StoredMessageType,
  StoredSchemaVersion,
  TypeDescriptor,
  VersionStatus,
} from './registry/message-type';
export { SchemasModule } from './http/schemas.module';
export type { SchemasModuleOptions } from './http/schemas.module';
export { SchemasController } from './http/schemas.controller';
export { CompatibilityMode } from './compatibility/compatibility-mode';
export type { CompatibilityDirection } from './compatibility/compatibility-mode';
export { DifferenceType, COMPATIBLE_CHANGES } from './compatibility/difference-type';
export type { Difference } from './compatibility/difference-type';
export { diffJsonSchemas } from './compatibility/json-schema-diff';
export type { JsonSchema } from './compatibility/json-schema-diff';
export { checkCompatibility, checkXsdCompatibility, checkVersionHistory } from './compatibility/check-compatibility';
export type {
  CompatibilityBreak,
  CompatibilityResult,
  HistoryBreak,
  VersionedSchema,
} from './compatibility/check-compatibility';
export { projectXsd } from './compatibility/xsd-projection';
export { checkRegistryCompatibility, formatRegistryReport } from './compatibility/check-registry-compatibility';
export type { RegistryCompatibilityReport } from './compatibility/check-registry-compatibility';
export { loadLibxml2 } from './xml/libxml2.adapter';
export type { Libxml2 } from './xml/libxml2.adapter';
export * as schemaSamples from './testing/sample-payloads';
