import { Controller, Get, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ExchangeErrorCode, ExchangeException } from '@korpu/exchange';
import { AdminGuard, AuditTrail, OperatorAction, Permission, RequirePermission } from '@korpu/operators';
import { ExportInventoryUseCase, INVENTORY_SECTIONS, InventorySection, inventoryCsv } from '@korpu/metaservices';
import { ApiProblems } from '@korpu/platform';

interface Reply {
  status(code: number): Reply;
  header(name: string, value: string): Reply;
  send(body: unknown): unknown;
}

/** The inventory export for the department's audits; every export is recorded in the audit trail. */
@ApiTags('admin')
@ApiBearerAuth()
@ApiProblems({ 400: 'REQUEST_INVALID: format json|csv; csv needs section', 401: 'ADMIN_UNAUTHENTICATED', 403: 'OPERATOR_FORBIDDEN (auditors and admins)' })
@UseGuards(AdminGuard)
@Controller('v1/admin/inventory')
export class InventoryController {
  constructor(
    private readonly inventory: ExportInventoryUseCase,
    private readonly audit: AuditTrail,
  ) {}

  @Get()
  @RequirePermission(Permission.EXPORT_AUDIT)
  @ApiOperation({ summary: 'Clients and how each authenticates, services with contracts and schema versions, certificates with issuer, serial and expiry, access grants with who granted them and when' })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  @ApiQuery({ name: 'section', required: false, enum: INVENTORY_SECTIONS, description: 'csv: which table (required)' })
  async export(@Query('format') format: string | undefined, @Query('section') section: string | undefined, @Req() request: { operator?: string }, @Res() reply: Reply): Promise<void> {
    const csv = format === 'csv';
    if ((format !== undefined && format !== 'json' && !csv) || (csv && !INVENTORY_SECTIONS.includes(section as InventorySection))) {
      throw new ExchangeException(ExchangeErrorCode.REQUEST_INVALID, `format is json or csv; csv needs section=${INVENTORY_SECTIONS.join('|')}`);
    }
    const inventory = await this.inventory.execute();
    await this.audit.record({
      operator: request.operator as string,
      action: OperatorAction.EXPORT_INVENTORY,
      messageIds: [],
      at: new Date(inventory.generatedAt),
      detail: { format: csv ? 'csv' : 'json', ...(csv ? { section } : {}), certificates: inventory.certificates.length, clients: inventory.clients.length, grants: inventory.grants.length },
    });
    if (!csv) {
      reply.status(200).header('content-type', 'application/json; charset=utf-8').send(inventory);
      return;
    }
    reply
      .status(200)
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="korpu-inventory-${section}.csv"`)
      .send(inventoryCsv(inventory, section as InventorySection));
  }
}
