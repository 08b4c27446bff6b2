import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { AuthenticatedOperator as Principal } from '../operator-principal';
import type { Permission } from '../permissions';

/** The request once AdminGuard let it through: who acts, for the audit trail and permission checks. */
export interface AdminRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The operator's name (what `@Operator()` gives). */
  operator?: string;
  principal?: Principal;
  /** The bearer token presented (sign-out ends its session). */
  bearerToken?: string;
  ip?: string;
}

export const REQUIRED_PERMISSIONS = 'korpu:operators:required-permissions';
export const PUBLIC_ROUTE = 'korpu:operators:public';
export const ANY_OPERATOR = 'korpu:operators:any-operator';

/** The name of the operator AdminGuard authenticated. */
export const Operator = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined => {
  return context.switchToHttp().getRequest<AdminRequest>().operator;
});

/** The whole principal AdminGuard authenticated: name, roles, permissions, how they signed in. */
export const OperatorPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal | undefined => {
  return context.switchToHttp().getRequest<AdminRequest>().principal;
});

/**
 * The permissions a route needs (all of them), checked by AdminGuard. A guarded route that declares neither
 * this, `@AnyOperator()` nor `@Public()` is for admins only.
 */
export const RequirePermission = (...permissions: Permission[]) => SetMetadata(REQUIRED_PERMISSIONS, permissions);

/** A guarded route any signed-in operator may use (e.g. who am I, sign out). */
export const AnyOperator = () => SetMetadata(ANY_OPERATOR, true);

/** A route AdminGuard lets through without a token (sign-in). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
