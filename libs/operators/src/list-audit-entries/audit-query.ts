import { INSTANT_SCHEMA, RequestSchema, readRequest } from '@korpu/errors';
import { AUDIT_ACTION_PATTERN, AuditFilter } from '../audit/audit-entry';

/** The filters of the audit list and export: validated by readAuditQuery, published by the controller (one definition). */
export const AUDIT_FILTER_PROPERTIES: Record<string, Record<string, unknown>> = {
  operator: { type: 'string', maxLength: 200, description: 'Who acted' },
  action: { type: 'string', pattern: AUDIT_ACTION_PATTERN.source, description: 'a kebab-case action name such as replay or sign-in' },
  messageId: { type: 'string', maxLength: 300, description: 'A message the action touched' },
  from: { ...INSTANT_SCHEMA, description: 'At or after (ISO-8601)' },
  to: { ...INSTANT_SCHEMA, description: 'Before (ISO-8601)' },
};

/** A query against its schema; the filter read from it (`from` before `to` is the one rule a schema cannot say). */
export function readAuditQuery(schema: RequestSchema, query: unknown, problems: string[]): { fields: Record<string, unknown>; filter: AuditFilter } {
  const reading = readRequest(schema, query, 'the query');
  problems.push(...reading.problems);
  const fields = reading.fields;
  const filter: AuditFilter = {};
  for (const name of ['operator', 'action', 'messageId'] as const) if (typeof fields[name] === 'string') filter[name] = fields[name] as string;
  for (const name of ['from', 'to'] as const) {
    if (typeof fields[name] !== 'string') continue;
    const parsed = Date.parse(fields[name] as string);
    if (Number.isNaN(parsed)) problems.push(`"${name}" is not a valid instant`);
    else filter[name] = new Date(parsed);
  }
  if (filter.from && filter.to && filter.from.getTime() >= filter.to.getTime()) problems.push('"from" must be before "to"');
  return { fields, filter };
}
