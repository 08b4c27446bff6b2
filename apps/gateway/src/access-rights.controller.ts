import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessRight, AccessRightsRepository } from '@korpu/access';
import { parseServiceId } from '@korpu/envelope';
import { ExchangeErrorCode, ExchangeException } from '@korpu/exchange';
import { AdminGuard, AuditTrail, Operator, OperatorAction, Permission, RequirePermission } from '@korpu/operators';
import { ApiProblems } from '@korpu/platform';

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
@ApiProblems({
  400: 'REQUEST_INVALID: give "client" and "service"',
  401: 'ADMIN_UNAUTHENTICATED',
  403: 'OPERATOR_FORBIDDEN: granting and revoking needs the admin role',
  415: 'UNSUPPORTED_MEDIA_TYPE',
})
@UseGuards(AdminGuard)
@Controller('v1/admin/access-rights')
export class AccessRightsController {
  constructor(
    private readonly rights: AccessRightsRepository,
    private readonly audit: AuditTrail,
  ) {}

  @Get()
  @RequirePermission(Permission.READ_ACCESS_RIGHTS)
  @ApiOperation({ summary: 'Access rights, with who granted or revoked each and when' })
  list(@Query('client') client?: string): Promise<AccessRight[]> {
    return this.rights.list(client);
  }

  @Post('grant')
  @HttpCode(200)
  @RequirePermission(Permission.MANAGE_ACCESS_RIGHTS)
  @ApiOperation({ summary: 'Grant a client a service: { client, service, reason? } (audited with the right before and after)' })
  async grant(@Body() body: AccessRightChange, @Operator() operator: string): Promise<AccessRight[]> {
    return this.change(OperatorAction.GRANT_ACCESS, parseChange(body), operator);
  }

  @Post('revoke')
  @HttpCode(200)
  @RequirePermission(Permission.MANAGE_ACCESS_RIGHTS)
  @ApiOperation({ summary: 'Revoke a client\'s service: { client, service, reason? }; applies to its next request (audited)' })
  async revoke(@Body() body: AccessRightChange, @Operator() operator: string): Promise<AccessRight[]> {
    return this.change(OperatorAction.REVOKE_ACCESS, parseChange(body), operator);
  }

  private async change(
    action: typeof OperatorAction.GRANT_ACCESS | typeof OperatorAction.REVOKE_ACCESS,
    change: { client: string; service: string; reason?: string },
    operator: string,
  ): Promise<AccessRight[]> {
    const rightOf = (rights: AccessRight[]) => rights.find((right) => right.service === change.service) ?? null;
    const before = rightOf(await this.rights.list(change.client));
    if (action === OperatorAction.GRANT_ACCESS) await this.rights.grant(change.client, change.service, operator);
    else await this.rights.revoke(change.client, change.service, operator);
    const rights = await this.rights.list(change.client);
    await this.audit.record({
      operator,
      action,
      messageIds: [],
      at: new Date(),
      reason: change.reason,
      before,
      after: rightOf(rights),
      detail: { client: change.client, service: change.service },
    });
    return rights;
  }
}
