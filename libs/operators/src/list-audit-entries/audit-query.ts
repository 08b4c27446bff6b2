import { AUDIT_ACTION_PATTERN, AuditFilter } from '../audit/audit-entry';

type Query = Record<string, unknown>;

const text = (query: Query, name: string): string | undefined => {
  const value = query[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** The filters of the audit list and export (operator, action, messageId, from, to), every problem collected. */
export function readAuditFilter(query: unknown, problems: string[]): AuditFilter {
  const fields: Query = typeof query === 'object' && query !== null && !Array.isArray(query) ? (query as Query) : {};
  const filter: AuditFilter = {};
  const operator = text(fields, 'operator');
  if (operator !== undefined) {
    if (operator.length > 200) problems.push('"operator" must be at most 200 characters');
    else filter.operator = operator;
  }
  const action = text(fields, 'action');
  if (action !== undefined) {
    if (!AUDIT_ACTION_PATTERN.test(action)) problems.push('"action" must be a kebab-case action name such as replay or sign-in');
    else filter.action = action;
  }
  const messageId = text(fields, 'messageId');
  if (messageId !== undefined) {
    if (messageId.length > 300) problems.push('"messageId" must be at most 300 characters');
    else filter.messageId = messageId;
  }
  for (const name of ['from', 'to'] as const) {
    const value = text(fields, name);
    if (value === undefined) continue;
    const parsed = value.length <= 40 ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(parsed)) problems.push(`"${name}" must be an ISO-8601 instant`);
    else filter[name] = new Date(parsed);
  }
  if (filter.from && filter.to && filter.from.getTime() >= filter.to.getTime()) problems.push('"from" must be before "to"');
  return filter;
}

/** An integer query parameter within a range, or the fallback when absent. */
export function readInteger(query: unknown, name: string, min: number, max: number, fallback: number, problems: string[]): number {
  const value = (query as Query | undefined)?.[name];
  if (value === undefined || value === '') return fallback;
  const number = typeof value === 'string' && /^\d{1,19}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(number) || number < min || number > max) {
    problems.push(`"${name}" must be an integer from ${min} to ${max}`);
    return fallback;
  }
  return number;
}
