import { StoredMessageType } from '../registry/message-type';
import { checkVersionHistory, HistoryBreak } from './check-compatibility';
import { CompatibilityMode } from './compatibility-mode';
import { JsonSchema } from './json-schema-diff';

export interface RegistryCompatibilityReport {
  /** One entry per message type, in registry order. */
  types: Array<{
    type: string;
    mode: CompatibilityMode;
    /** Versions checked, oldest first (retired versions are left out, as Confluent leaves out deleted ones). */
    checkedVersions: string[];
    breaks: HistoryBreak[];
    /** Set when the schemas could not be compared at all (e.g. an XSD construct the projection does not know). */
    error?: string;
  }>;
  breakCount: number;
}

/** Checks every message type's version history under the compatibility mode its type.json declares. */
export function checkRegistryCompatibility(types: readonly StoredMessageType[]): RegistryCompatibilityReport {
  const report: RegistryCompatibilityReport = { types: [], breakCount: 0 };
  for (const type of types) {
    const mode = type.descriptor.compatibility;
    const live = type.versions.filter((v) => v.descriptor.status !== 'retired');
    const entry: RegistryCompatibilityReport['types'][number] = {
      type: type.name,
      mode,
      checkedVersions: live.map((v) => v.version),
      breaks: [],
    };
    try {
      entry.breaks = checkVersionHistory(
        live.map((v) => ({
          version: v.version,
          format: type.descriptor.format,
          schema: type.descriptor.format === 'json' ? (JSON.parse(v.source) as JsonSchema) : v.source,
        })),
        mode,
      );
    } catch (error: unknown) {
      entry.error = error instanceof Error ? error.message : String(error);
    }
    report.breakCount += entry.breaks.length + (entry.error ? 1 : 0);
    report.types.push(entry);
  }
  return report;
}

/** One line per break, as the CLI prints it: `<type> v1→v2 BACKWARD: <DIFFERENCE> at <path>`. */
export function formatRegistryReport(report: RegistryCompatibilityReport): string[] {
  const lines: string[] = [];
  for (const entry of report.types) {
    if (entry.error) lines.push(`${entry.type} ${entry.mode}: cannot compare: ${entry.error}`);
    for (const b of entry.breaks) {
      lines.push(`${entry.type} v${b.olderVersion}→v${b.newerVersion} ${b.direction}: ${b.type} at ${b.path}`);
    }
  }
  return lines;
}
