import { Readable } from 'node:stream';
import { Controller, Get, Query, StreamableFile, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiQueryFromSchema } from '@korpu/platform';
import { EXPORT_AUDIT_QUERY, ExportAuditTrailCommand } from '../export-audit-trail/export-audit-trail.command';
import { ExportAuditTrailUseCase } from '../export-audit-trail/export-audit-trail.usecase';
import { LIST_AUDIT_QUERY, ListAuditEntriesCommand } from '../list-audit-entries/list-audit-entries.command';
import { AuditPage, ListAuditEntriesUseCase } from '../list-audit-entries/list-audit-entries.usecase';
import { Permission } from '../permissions';
import { AdminGuard } from './admin.guard';
import { Operator, RequirePermission } from './operator.decorator';

/** The operators' audit trail: who did what, when, to what, before and after; listed, filtered and exported. */
@ApiTags('admin: audit')
@ApiBearerAuth()
@ApiProblems({ 400: 'OPERATOR_REQUEST_INVALID (`problems`)', 401: 'ADMIN_UNAUTHENTICATED, OPERATOR_SESSION_ENDED', 403: 'OPERATOR_FORBIDDEN' })
@UseGuards(AdminGuard)
@Controller('v1/admin/audit')
export class AuditController {
  constructor(
    private readonly list: ListAuditEntriesUseCase,
    private readonly exporter: ExportAuditTrailUseCase,
  ) {}

  @Get()
  @RequirePermission(Permission.READ_AUDIT)
  @ApiOperation({ summary: 'The audit trail, newest first (filters: operator, action, messageId, from, to; limit, cursor)' })
  @ApiQueryFromSchema(LIST_AUDIT_QUERY)
  async listAudit(@Query() query: Record<string, unknown>): Promise<AuditPage> {
    return this.list.execute(ListAuditEntriesCommand.create(query));
  }

  @Get('export')
  @RequirePermission(Permission.EXPORT_AUDIT)
  @ApiProduces('text/csv', 'application/x-ndjson')
  @ApiOperation({
    summary: 'Export the audit trail, oldest first, as CSV or NDJSON (format=csv|ndjson; same filters as the list); the export is audited',
  })
  @ApiQueryFromSchema(EXPORT_AUDIT_QUERY)
  async exportAudit(@Operator() operator: string, @Query() query: Record<string, unknown>): Promise<StreamableFile> {
    const result = await this.exporter.execute(ExportAuditTrailCommand.create({ operator, query }));
    return new StreamableFile(Readable.from(result.chunks), {
      type: result.contentType,
      disposition: `attachment; filename="${result.fileName}"`,
    });
  }
}
