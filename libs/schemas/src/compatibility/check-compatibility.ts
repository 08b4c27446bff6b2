import { CompatibilityDirection, CompatibilityMode, directionsOf, isTransitive } from './compatibility-mode';
import { Difference, isCompatibleChange } from './difference-type';
import { diffJsonSchemas, JsonSchema } from './json-schema-diff';
import { projectXsd } from './xsd-projection';

export interface CompatibilityBreak extends Difference {
  /** BACKWARD: the newer schema rejects data the older allowed; FORWARD: the older rejects data the newer allows. */
  direction: CompatibilityDirection;
}

export interface CompatibilityResult {
  compatible: boolean;
  /** Only the differences that break the mode; compatible differences are left out. */
  breaks: CompatibilityBreak[];
}

/**
 * Checks one pair of JSON Schemas under a mode with Confluent Schema Registry's semantics: BACKWARD diffs
 * (writer = older, reader = newer), FORWARD the swap, FULL both. A pair has no history, so the *_TRANSITIVE
 * modes behave as their plain forms here; `checkVersionHistory` applies transitivity.
 */
export function checkCompatibility(older: JsonSchema, newer: JsonSchema, mode: CompatibilityMode): CompatibilityResult {
  const breaks: CompatibilityBreak[] = [];
  for (const direction of directionsOf(mode)) {
    const differences = direction === 'BACKWARD' ? diffJsonSchemas(older, newer) : diffJsonSchemas(newer, older);
    for (const difference of differences) {
      if (!isCompatibleChange(difference.type)) breaks.push({ ...difference, direction });
    }
  }
  return { compatible: breaks.length === 0, breaks };
}

/** Same as `checkCompatibility` for two XSDs, through their JSON Schema projection (see `projectXsd`). */
export function checkXsdCompatibility(
  olderXsd: string,
  newerXsd: string,
  mode: CompatibilityMode,
): CompatibilityResult {
  if (mode === CompatibilityMode.NONE) return { compatible: true, breaks: [] };
  return checkCompatibility(projectXsd(olderXsd), projectXsd(newerXsd), mode);
}

export interface VersionedSchema {
  version: string;
  format: 'json' | 'xml';
  /** A parsed JSON Schema (json) or the XSD text (xml). */
  schema: JsonSchema | string;
}

export interface HistoryBreak extends CompatibilityBreak {
  olderVersion: string;
  newerVersion: string;
}

/**
 * Checks every version against its predecessor (plain modes) or all its predecessors (*_TRANSITIVE), in the
 * order given (oldest first). The caller passes only the versions still in force (retired ones left out).
 */
export function checkVersionHistory(versions: readonly VersionedSchema[], mode: CompatibilityMode): HistoryBreak[] {
  const projected = versions.map((v) => ({
    version: v.version,
    schema: v.format === 'xml' ? projectXsd(String(v.schema)) : (v.schema as JsonSchema),
  }));
  const breaks: HistoryBreak[] = [];
  for (let i = 1; i < projected.length; i++) {
    const newer = projected[i];
    const olders = isTransitive(mode) ? projected.slice(0, i) : [projected[i - 1]];
    for (const older of olders) {
      for (const b of checkCompatibility(older.schema, newer.schema, mode).breaks) {
        breaks.push({ ...b, olderVersion: older.version, newerVersion: newer.version });
      }
    }
  }
  return breaks;
}
