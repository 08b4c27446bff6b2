import type { RequestSchema } from '@korpu/errors';
import { AuditFilter } from '../audit/audit-entry';
import { OperatorsException } from '../operators.exception';
import { AUDIT_FILTER_PROPERTIES, readAuditQuery } from './audit-query';

/** The query of GET /v1/admin/audit. */
export const LIST_AUDIT_QUERY: RequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...AUDIT_FILTER_PROPERTIES,
    limit: { type: 'integer', minimum: 1, maximum: 500, description: 'Page size (default 50)' },
    cursor: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'nextCursor of the previous page' },
  },
};

export class ListAuditEntriesCommand {
  private constructor(
    readonly filter: AuditFilter,
    readonly limit: number,
    readonly before: string | undefined,
  ) {}

  /** Query: operator, action, messageId, from, to; limit (1-500, default 50), cursor (the previous page's nextCursor). */
  static create(query: unknown): ListAuditEntriesCommand {
    const problems: string[] = [];
    const { fields, filter } = readAuditQuery(LIST_AUDIT_QUERY, query, problems);
    if (problems.length) throw OperatorsException.invalid(problems);
    const cursor = fields.cursor as number | undefined;
    return new ListAuditEntriesCommand(filter, (fields.limit as number | undefined) ?? 50, cursor ? String(cursor) : undefined);
  }
}
