import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminGuard, Permission, RequirePermission } from '@korpu/operators';
import { ApiProblems, ApiQueryFromSchema } from '@korpu/platform';
import { OperationalRecordPage } from '../operational-record';
import { ListOperationalRecordsCommand } from '../list-operational-records/list-operational-records.command';
import { LIST_OPERATIONAL_RECORDS_SCHEMA } from '../list-operational-records/list-operational-records.schema';
import { ListOperationalRecordsUseCase } from '../list-operational-records/list-operational-records.usecase';
import { SummarizeExchangesCommand } from '../summarize-exchanges/summarize-exchanges.command';
import { SUMMARIZE_EXCHANGES_SCHEMA } from '../summarize-exchanges/summarize-exchanges.schema';
import { ExchangeSummary, SummarizeExchangesUseCase } from '../summarize-exchanges/summarize-exchanges.usecase';

/** The operational records of exchanges for operators (metadata only: there is no personal data to mask). */
@ApiTags('admin: operational records')
@ApiBearerAuth()
@ApiProblems({
  400: 'OPERATIONAL_RECORDS_REQUEST_INVALID (`problems` lists each)',
  401: 'ADMIN_UNAUTHENTICATED: no or a wrong operator token; OPERATOR_SESSION_ENDED',
  403: 'OPERATOR_FORBIDDEN: the operator\'s roles lack operational-records:read',
})
@UseGuards(AdminGuard)
@Controller('v1/admin/operational-records')
export class OperationalRecordsController {
  constructor(
    private readonly list: ListOperationalRecordsUseCase,
    private readonly summary: SummarizeExchangesUseCase,
  ) {}

  @Get('summary')
  @RequirePermission(Permission.READ_OPERATIONAL_RECORDS)
  @ApiOperation({
    summary: 'Exchanges per partner over the last hour or day, in buckets (what the console overview draws)',
    description:
      'Per partner: exchanges (delivery attempts outbound, calls inbound, refusals included), errors (failed or dead-lettered attempts), ' +
      'dead letters, refusals, error rate and the 99th percentile of the total duration, per bucket (1 min over 1 h, 15 min over 24 h) ' +
      'and over the whole window. From the operational records.',
  })
  @ApiQueryFromSchema(SUMMARIZE_EXCHANGES_SCHEMA)
  async summarize(@Query() query: Record<string, unknown>): Promise<ExchangeSummary> {
    return this.summary.execute(SummarizeExchangesCommand.create(query));
  }

  @Get()
  @RequirePermission(Permission.READ_OPERATIONAL_RECORDS)
  @ApiOperation({
    summary: 'Operational records, one per exchange, newest first',
    description:
      'Client, service, message and correlation id, request and reply sizes, the instant of every hop and the durations between them, ' +
      'result (succeeded, failed = an attempt that is retried, dead-lettered), error code, the reply\'s signer, the writing app and instance. ' +
      'Keyset paging: pass nextCursor back as cursor.',
  })
  @ApiQueryFromSchema(LIST_OPERATIONAL_RECORDS_SCHEMA)
  async records(@Query() query: Record<string, unknown>): Promise<OperationalRecordPage> {
    return this.list.execute(ListOperationalRecordsCommand.create(query));
  }
}
