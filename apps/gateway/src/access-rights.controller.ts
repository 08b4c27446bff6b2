import { Body, Controller, Get, HttpCode, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessRight, AccessRightsRepository } from '@korpu/access';
import { parseServiceId } from '@korpu/envelope';
import { ExchangeErrorCode, ExchangeException } from '@korpu/exchange';
import { AdminGuard, AuditTrail, OperatorAction } from '@korpu/failed-messages';
import { ApiProblems } from '@korpu/platform';

interface OperatorRequest {
  operator?: string;
}

interface AccessRightChange {
  client?: unknown;
  service?: unknown;
  reason?: unknown;
}

function parseChange(body: AccessRightChange | undefined | null): { client: string; service: string; reason?: string } {
  // No body, a JSON array or scalar: the same 400 as missing fields, never a TypeError.
  const fields: AccessRightChange = typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {};
  const client = typeof fields.client === 'string' ? fields.client.trim() : '';
  const service = typeof fields.service === 'string' ? fields.service.trim() : '';
  if (!client || client.length > 200 || !parseServiceId(service)) {
    throw new ExchangeException(ExchangeErrorCode.REQUEST_INVALID, 'Give "client" and "service" (partner/operation)');
  }
  return { client, service, reason: typeof fields.reason === 'string' ? fields.reason.slice(0, 1000) : undefined };
}

/** Operators grant and revoke a client's access to a service; a revocation takes effect on the next request. */
@ApiTags('admin')
@ApiBearerAuth()
@ApiProblems({ 400: 'REQUEST_INVALID: give "client" and "service"', 401: 'ADMIN_UNAUTHENTICATED', 415: 'UNSUPPORTED_MEDIA_TYPE' })
@UseGuards(AdminGuard)
@Controller('v1/admin/access-rights')
export class AccessRightsController {
  constructor(
    private readonly rights: AccessRightsRepository,
    private readonly audit: AuditTrail,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Access rights, with who granted or revoked each and when' })
  list(@Query('client') client?: string): Promise<AccessRight[]> {
    return this.rights.list(client);
  }

  @Post('grant')
  @HttpCode(200)
  async grant(@Body() body: AccessRightChange, @Req() request: OperatorRequest): Promise<AccessRight[]> {
    const change = parseChange(body);
    const operator = request.operator as string;
    await this.rights.grant(change.client, change.service, operator);
    await this.record(OperatorAction.GRANT_ACCESS, operator, change);
    return this.rights.list(change.client);
  }

  @Post('revoke')
  @HttpCode(200)
  async revoke(@Body() body: AccessRightChange, @Req() request: OperatorRequest): Promise<AccessRight[]> {
    const change = parseChange(body);
    const operator = request.operator as string;
    await this.rights.revoke(change.client, change.service, operator);
    await this.record(OperatorAction.REVOKE_ACCESS, operator, change);
    return this.rights.list(change.client);
  }

  private record(action: OperatorAction, operator: string, change: { client: string; service: string; reason?: string }): Promise<void> {
    return this.audit.record({
      operator,
      action,
      messageIds: [],
      at: new Date(),
      reason: change.reason,
      detail: { client: change.client, service: change.service },
    });
  }
}
