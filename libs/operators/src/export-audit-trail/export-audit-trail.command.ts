import type { RequestSchema } from '@korpu/errors';
import { AuditFilter } from '../audit/audit-entry';
import { OperatorsException } from '../operators.exception';
import { AUDIT_FILTER_PROPERTIES, readAuditQuery } from '../list-audit-entries/audit-query';

export type AuditExportFormat = 'csv' | 'ndjson';
export const AUDIT_EXPORT_FORMATS: readonly AuditExportFormat[] = ['csv', 'ndjson'];

/** The query of GET /v1/admin/audit/export. */
export const EXPORT_AUDIT_QUERY: RequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { format: { type: 'string', enum: [...AUDIT_EXPORT_FORMATS], description: 'csv or ndjson (default)' }, ...AUDIT_FILTER_PROPERTIES },
};

export class ExportAuditTrailCommand {
  private constructor(
    readonly operator: string,
    readonly format: AuditExportFormat,
    readonly filter: AuditFilter,
  ) {}

  /** Query: format (csv | ndjson, default ndjson) and the list's filters (operator, action, messageId, from, to). */
  static create(input: { operator: string; query: unknown }): ExportAuditTrailCommand {
    const problems: string[] = [];
    const { fields, filter } = readAuditQuery(EXPORT_AUDIT_QUERY, input.query, problems);
    if (problems.length) throw OperatorsException.invalid(problems);
    return new ExportAuditTrailCommand(input.operator, (fields.format as AuditExportFormat | undefined) ?? 'ndjson', filter);
  }
}
