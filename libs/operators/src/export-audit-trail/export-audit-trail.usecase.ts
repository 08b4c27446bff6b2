import { Injectable } from '@nestjs/common';
import { OperatorAction } from '../audit/audit-entry';
import { AuditTrail } from '../audit/audit-trail.repository';
import { Clock } from '../clock';
import { csvHeader, csvRow, ndjsonRow } from './audit-export-format';
import { AuditExportFormat, ExportAuditTrailCommand } from './export-audit-trail.command';

const PAGE = 500;

export interface AuditExport {
  format: AuditExportFormat;
  contentType: string;
  fileName: string;
  /** The file, oldest entry first, produced page by page. */
  chunks: AsyncIterable<string>;
}

/**
 * The audit trail (filtered) as CSV or NDJSON, oldest first, with each entry's hash so an auditor can check the
 * chain. The export itself is audited first (who exported what), so it appears in later exports.
 */
@Injectable()
export class ExportAuditTrailUseCase {
  constructor(
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async execute(command: ExportAuditTrailCommand): Promise<AuditExport> {
    const at = this.clock.now();
    const recorded = await this.audit.record({
      operator: command.operator,
      action: OperatorAction.EXPORT_AUDIT,
      messageIds: [],
      at,
      detail: { format: command.format, filter: { ...command.filter, from: command.filter.from?.toISOString(), to: command.filter.to?.toISOString() } },
    });
    const audit = this.audit;
    const filter = command.filter;
    const format = command.format;
    async function* chunks(): AsyncGenerator<string> {
      if (format === 'csv') yield csvHeader();
      let after = 0;
      for (;;) {
        const page = await audit.list(filter, { limit: PAGE, after, order: 'oldest' });
        const rows = page.filter((entry) => entry.seq <= recorded.seq);
        if (rows.length) yield rows.map(format === 'csv' ? csvRow : ndjsonRow).join('');
        if (page.length < PAGE || rows.length < page.length) return;
        after = page[page.length - 1].seq;
      }
    }
    const stamp = at.toISOString().replace(/[:.]/g, '-');
    return {
      format,
      contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      fileName: `korpu-audit-${stamp}.${format === 'csv' ? 'csv' : 'ndjson'}`,
      chunks: chunks(),
    };
  }
}
