import { Body, Controller, Delete, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@korpu/platform';
import { AuthenticatedOperator as Principal } from '../operator-principal';
import { SIGN_IN_BODY, SignInCommand } from '../sign-in/sign-in.command';
import { SignInResult, SignInUseCase } from '../sign-in/sign-in.usecase';
import { SignOutUseCase } from '../sign-out/sign-out.usecase';
import { AdminGuard } from './admin.guard';
import { AdminRequest, AnyOperator, OperatorPrincipal, Public } from './operator.decorator';

/** Operators sign in (directory or break-glass account) for a session token, see who they are, and sign out. */
@ApiTags('admin: session')
@ApiProblems({
  400: 'OPERATOR_REQUEST_INVALID (`problems`), REQUEST_MALFORMED (not JSON)',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  401: 'SIGN_IN_FAILED (wrong user name or password, or no Körpü role), ADMIN_UNAUTHENTICATED, OPERATOR_SESSION_ENDED',
  429: 'SIGN_IN_THROTTLED (`retryAfterSeconds`)',
  503: 'DIRECTORY_UNAVAILABLE',
})
@UseGuards(AdminGuard)
@Controller('v1/admin/session')
export class SessionController {
  constructor(
    private readonly signIn: SignInUseCase,
    private readonly signOut: SignOutUseCase,
  ) {}

  @Post()
  @Public()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Sign in: { username, password } → a session token for `Authorization: Bearer <token>`',
    description: 'Failed sign-ins are throttled per account and per source address, and audited.',
  })
  @ApiBody({ schema: SIGN_IN_BODY })
  async create(@Body() body: unknown, @Req() request: AdminRequest): Promise<SignInResult> {
    return this.signIn.execute(SignInCommand.create({ body, source: request.ip }));
  }

  @Get()
  @AnyOperator()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Who is signed in: name, roles, permissions' })
  current(@OperatorPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Delete()
  @AnyOperator()
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: ends the session on the server; its token opens nothing afterwards' })
  async remove(@Req() request: AdminRequest): Promise<void> {
    await this.signOut.execute(request.bearerToken ?? '');
  }
}
