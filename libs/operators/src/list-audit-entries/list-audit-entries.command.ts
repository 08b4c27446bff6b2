import { AuditFilter } from '../audit/audit-entry';
import { OperatorsException } from '../operators.exception';
import { readAuditFilter, readInteger } from './audit-query';

export class ListAuditEntriesCommand {
  private constructor(
    readonly filter: AuditFilter,
    readonly limit: number,
    readonly before: string | undefined,
  ) {}

  /** Query: operator, action, messageId, from, to; limit (1-500, default 50), cursor (the previous page's nextCursor). */
  static create(query: unknown): ListAuditEntriesCommand {
    const problems: string[] = [];
    const filter = readAuditFilter(query, problems);
    const limit = readInteger(query, 'limit', 1, 500, 50, problems);
    const cursor = readInteger(query, 'cursor', 1, Number.MAX_SAFE_INTEGER, 0, problems);
    if (problems.length) throw OperatorsException.invalid(problems);
    return new ListAuditEntriesCommand(filter, limit, cursor ? String(cursor) : undefined);
  }
}
