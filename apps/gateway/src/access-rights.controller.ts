import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessRight, AccessRightsRepository } from '@korpu/access';
import { parseServiceId } from '@korpu/envelope';
import { ExchangeErrorCode, ExchangeException, SUBMIT_MESSAGE_SCHEMA } from '@korpu/exchange';
import { AdminGuard, AuditTrail, Operator, OperatorAction, Permission, RequirePermission } from '@korpu/operators';
import { RequestSchema, readRequest } from '@korpu/errors';
import { ApiProblems, ApiQueryFromSchema } from '@korpu/platform';

const SUBMIT_MESSAGE_SCHEMA_SERVICE = (SUBMIT_MESSAGE_SCHEMA.properties as Record<string, Record<string, unknown>>).service;

/** The body of a grant and of a revoke: validated here and published in the OpenAPI document (one definition). */
export const ACCESS_RIGHT_CHANGE_BODY: RequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['client', 'service'],
  properties: {
    client: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S', description: 'The client (subsystem or partner member), e.g. MLSP/pensions', example: 'MLSP/pensions' },
    service: { ...SUBMIT_MESSAGE_SCHEMA_SERVICE, description: 'partner/operation, e.g. tax-service/GetTaxpayer' },
    reason: { type: 'string', maxLength: 1000, description: 'Why (kept in the audit trail)' },
  },
};

/** The query of the list: one client's rights, or all. */
export const ACCESS_RIGHTS_QUERY: RequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { client: { type: 'string', maxLength: 200, description: 'Only this client\'s rights' } },
};

function read(schema: RequestSchema, input: unknown, what?: string): Record<string, unknown> {
  const { fields, problems } = readRequest(schema, input, what);
  if (problems.length) throw new ExchangeException(ExchangeErrorCode.REQUEST_INVALID, problems.join('; '), { problems });
  return fields;
}

function parseChange(body: unknown): { client: string; service: string; reason?: string } {
  const fields = read(ACCESS_RIGHT_CHANGE_BODY, body);
  const client = (fields.client as string).trim();
  const service = (fields.service as string).trim();
  if (!parseServiceId(service)) throw new ExchangeException(ExchangeErrorCode.REQUEST_INVALID, 'Give "service" as partner/operation', { problems: ['"service" must be partner/operation'] });
  return { client, service, reason: fields.reason as string | undefined };
}

/** Operators grant and revoke a client's access to a service; a revocation takes effect on the next request. */
@ApiTags('admin')
@ApiBearerAuth()
@ApiProblems({
  400: 'REQUEST_INVALID: give "client" and "service" (`problems` lists each), REQUEST_MALFORMED (not JSON)',
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
  @ApiQueryFromSchema(ACCESS_RIGHTS_QUERY)
  list(@Query() query: unknown): Promise<AccessRight[]> {
    return this.rights.list(read(ACCESS_RIGHTS_QUERY, query, 'the query').client as string | undefined);
  }

  @Post('grant')
  @HttpCode(200)
  @RequirePermission(Permission.MANAGE_ACCESS_RIGHTS)
  @ApiOperation({ summary: 'Grant a client a service: { client, service, reason? } (audited with the right before and after)' })
  @ApiBody({ schema: ACCESS_RIGHT_CHANGE_BODY })
  async grant(@Body() body: unknown, @Operator() operator: string): Promise<AccessRight[]> {
    return this.change(OperatorAction.GRANT_ACCESS, parseChange(body), operator);
  }

  @Post('revoke')
  @HttpCode(200)
  @RequirePermission(Permission.MANAGE_ACCESS_RIGHTS)
  @ApiOperation({ summary: 'Revoke a client\'s service: { client, service, reason? }; applies to its next request (audited)' })
  @ApiBody({ schema: ACCESS_RIGHT_CHANGE_BODY })
  async revoke(@Body() body: unknown, @Operator() operator: string): Promise<AccessRight[]> {
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
