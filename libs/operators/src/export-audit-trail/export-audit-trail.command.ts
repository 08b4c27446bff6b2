import { AuditFilter } from '../audit/audit-entry';
import { OperatorsException } from '../operators.exception';
import { readAuditFilter } from '../list-audit-entries/audit-query';

export type AuditExportFormat = 'csv' | 'ndjson';
export const AUDIT_EXPORT_FORMATS: readonly AuditExportFormat[] = ['csv', 'ndjson'];

export class ExportAuditTrailCommand {
  private constructor(
    readonly operator: string,
    readonly format: AuditExportFormat,
    readonly filter: AuditFilter,
  ) {}

  /** Query: format (csv | ndjson, default ndjson) and the list's filters (operator, action, messageId, from, to). */
  static create(input: { operator: string; query: unknown }): ExportAuditTrailCommand {
    const problems: string[] = [];
    const filter = readAuditFilter(input.query, problems);
    const format = (input.query as Record<string, unknown> | undefined)?.format ?? 'ndjson';
    if (!AUDIT_EXPORT_FORMATS.includes(format as AuditExportFormat)) problems.push(`"format" must be one of ${AUDIT_EXPORT_FORMATS.join(', ')}`);
    if (problems.length) throw OperatorsException.invalid(problems);
    return new ExportAuditTrailCommand(input.operator, format as AuditExportFormat, filter);
  }
}
