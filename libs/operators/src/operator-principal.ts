import { Permission, permissionsOf, Role, ROLES } from './permissions';

/** How an operator proved who they are. */
export type OperatorSource = 'directory' | 'local' | 'service-token';

/** Who acts on an admin request, once AdminGuard let it through. */
export interface AuthenticatedOperator {
  /** The name the audit trail records (directory or local user name, or the service token's name). */
  name: string;
  roles: Role[];
  permissions: Permission[];
  source: OperatorSource;
  /** Short public id of the session (not the token): for the audit trail and the session list. */
  sessionId?: string;
}

export function principalOf(name: string, roles: readonly Role[], source: OperatorSource, sessionId?: string): AuthenticatedOperator {
  const sorted = ROLES.filter((role) => roles.includes(role));
  return { name, roles: sorted, permissions: permissionsOf(sorted), source, ...(sessionId ? { sessionId } : {}) };
}

export function hasPermission(principal: Pick<AuthenticatedOperator, 'permissions'> | undefined, permission: Permission): boolean {
  return !!principal && principal.permissions.includes(permission);
}
