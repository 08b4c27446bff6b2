import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { OperatorsErrorCode } from '../operators-error-code';
import { OperatorsException } from '../operators.exception';
import { Permission, Role } from '../permissions';
import { OperatorAuthenticator } from '../sessions/operator-authenticator';
import { AdminRequest, ANY_OPERATOR, PUBLIC_ROUTE, REQUIRED_PERMISSIONS } from './operator.decorator';

/**
 * Guards the admin API. Requires `Authorization: Bearer <token>` (a session's or a service token), puts the
 * operator on the request (`request.operator`, `request.principal`) and checks the route's
 * `@RequirePermission(...)`. A route without a declaration is for admins only; `@Public()` routes pass untouched.
 * Every refusal is logged with its code (never the token).
 */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly logger = new Logger('AdminGuard');

  constructor(
    private readonly authenticator: OperatorAuthenticator,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AdminRequest & { url?: string; method?: string }>();
    const where = `${request.method ?? ''} ${(request.url ?? '').split('?')[0]}`;
    const header = request.headers.authorization;
    const value = Array.isArray(header) ? header[0] : header;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(value ?? '');
    if (!match) {
      this.logger.warn(`${OperatorsErrorCode.UNAUTHENTICATED} ${where}: no bearer token`);
      throw new OperatorsException(OperatorsErrorCode.UNAUTHENTICATED, 'An operator token is required (Authorization: Bearer <token>)');
    }
    let principal;
    try {
      principal = await this.authenticator.authenticate(match[1]);
    } catch (error) {
      if (error instanceof OperatorsException) this.logger.warn(`${error.code} ${where}`);
      throw error;
    }
    request.operator = principal.name;
    request.principal = principal;
    request.bearerToken = match[1];
    if (this.reflector.getAllAndOverride<boolean>(ANY_OPERATOR, targets)) return true;
    const required = this.reflector.getAllAndOverride<Permission[] | undefined>(REQUIRED_PERMISSIONS, targets);
    const allowed = required ? required.every((permission) => principal.permissions.includes(permission)) : principal.roles.includes(Role.ADMIN);
    if (!allowed) {
      this.logger.warn(`${OperatorsErrorCode.FORBIDDEN} ${where}: ${principal.name} (${principal.roles.join('+') || 'no role'}) lacks ${required?.join(', ') ?? 'the admin role'}`);
      throw new OperatorsException(OperatorsErrorCode.FORBIDDEN, `Your roles (${principal.roles.join(', ')}) do not allow this`, {
        required: required ?? [Role.ADMIN],
      });
    }
    return true;
  }
}
