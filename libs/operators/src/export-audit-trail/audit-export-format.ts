import { AuditEntry } from '../audit/audit-entry';

export const CSV_COLUMNS = ['seq', 'at', 'operator', 'action', 'messageIds', 'reason', 'before', 'after', 'beforeHash', 'afterHash', 'detail', 'prevHash', 'hash'] as const;

/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would take for a formula (= + - @, tab, CR) is prefixed with `'`,
 * so an operator's reason cannot run in the auditor's spreadsheet.
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvRow(entry: AuditEntry): string {
  const cells: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    seq: String(entry.seq),
    at: entry.at,
    operator: entry.operator,
    action: entry.action,
    messageIds: entry.messageIds.join(' '),
    reason: entry.reason,
    before: entry.before,
    after: entry.after,
    beforeHash: entry.beforeHash,
    afterHash: entry.afterHash,
    detail: entry.detail,
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
  return `${CSV_COLUMNS.map((column) => csvCell(cells[column])).join(',')}\r\n`;
}

export function ndjsonRow(entry: AuditEntry): string {
  const { id: _id, ...rest } = entry;
  return `${JSON.stringify(rest)}\n`;
}
