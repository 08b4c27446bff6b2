import { Body, Controller, Delete, Get, HttpCode, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@korpu/platform';
import { EndSessionUseCase } from '../end-session/end-session.usecase';
import { Permission } from '../permissions';
import { LiveSession } from '../sessions/session.repository';
import { AdminGuard } from './admin.guard';
import { Operator, RequirePermission } from './operator.decorator';

/** Who is signed in, and ending a session (admins: accounts:manage). */
@ApiTags('admin: session')
@ApiBearerAuth()
@ApiProblems({ 400: 'OPERATOR_REQUEST_INVALID', 401: 'ADMIN_UNAUTHENTICATED', 403: 'OPERATOR_FORBIDDEN', 404: 'OPERATOR_SESSION_NOT_FOUND' })
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
  async end(@Operator() admin: string, @Param('sessionId') sessionId: string, @Body() body: { reason?: unknown } | undefined): Promise<void> {
    await this.sessions.execute({ admin, sessionId, reason: body?.reason });
  }
}
