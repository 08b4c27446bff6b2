import { Body, Controller, Delete, Get, HttpCode, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiParamFromSchema, ApiProblems } from '@korpu/platform';
import { END_SESSION_BODY, EndSessionUseCase, SESSION_ID_PARAM_SCHEMA } from '../end-session/end-session.usecase';
import { Permission } from '../permissions';
import { LiveSession } from '../sessions/session.repository';
import { AdminGuard } from './admin.guard';
import { Operator, RequirePermission } from './operator.decorator';

/** Who is signed in, and ending a session (admins: accounts:manage). */
@ApiTags('admin: session')
@ApiBearerAuth()
@ApiProblems({ 400: 'OPERATOR_REQUEST_INVALID (`problems`), REQUEST_MALFORMED', 401: 'ADMIN_UNAUTHENTICATED', 403: 'OPERATOR_FORBIDDEN', 404: 'OPERATOR_SESSION_NOT_FOUND', 415: 'UNSUPPORTED_MEDIA_TYPE' })
@UseGuards(AdminGuard)
@Controller('v1/admin/sessions')
export class SessionsController {
  constructor(private readonly sessions: EndSessionUseCase) {}

  @Get()
  @RequirePermission(Permission.MANAGE_ACCOUNTS)
  @ApiOperation({ summary: 'Live sessions: operator, roles, how they signed in, from where, since when, until when' })
  list(): Promise<LiveSession[]> {
    return this.sessions.list();
  }

  @Delete(':sessionId')
  @HttpCode(204)
  @RequirePermission(Permission.MANAGE_ACCOUNTS)
  @ApiOperation({ summary: 'End someone\'s session (body { reason? }); audited' })
  @ApiParamFromSchema('sessionId', SESSION_ID_PARAM_SCHEMA)
  @ApiBody({ schema: END_SESSION_BODY, required: false })
  async end(@Operator() admin: string, @Param('sessionId') sessionId: string, @Body() body: unknown): Promise<void> {
    await this.sessions.execute({ admin, sessionId, body });
  }
}
