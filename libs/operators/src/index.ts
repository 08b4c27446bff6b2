/**
 * @korpu/operators — who operates Körpü and what they may do.
 *
 * - OperatorsModule.forRoot(options) (global); readOperatorsOptions(env) at boot; OPERATORS_MIGRATIONS for StoreModule
 * - AdminGuard + @RequirePermission / @AnyOperator / @Public; @Operator() (name) and @OperatorPrincipal() (principal)
 * - Permission, Role, ROLE_PERMISSIONS (the role → permission table), hasPermission(principal, Permission.UNMASK)
 * - sessions (POST/GET/DELETE /v1/admin/session): directory (LDAP/AD over TLS) or break-glass accounts (scrypt)
 * - AuditTrail: append-only, hash-chained; /v1/admin/audit (list) and /v1/admin/audit/export (CSV, NDJSON)
 */
export { OperatorsModule, OPERATORS_MIGRATIONS, OPERATORS_CONTROLLERS } from './operators.module';
export { undeclaredAdminRoutes } from './http/admin-route-audit';
export { readOperatorsOptions } from './operators.config';
export { operatorsOptions, serviceTokensFrom, OPERATORS_OPTIONS, DEFAULT_SESSIONS, DEFAULT_THROTTLE } from './operators.options';
export type { OperatorsOptions, ServiceToken, LocalAccount, DirectoryOptions, SessionOptions, ThrottleOptions } from './operators.options';
export { Permission, PERMISSIONS, Role, ROLES, ROLE_PERMISSIONS, permissionsOf, isRole } from './permissions';
export { principalOf, hasPermission } from './operator-principal';
export type { AuthenticatedOperator, OperatorSource } from './operator-principal';
export { AdminGuard } from './http/admin.guard';
export { Operator, OperatorPrincipal, RequirePermission, AnyOperator, Public } from './http/operator.decorator';
export type { AdminRequest } from './http/operator.decorator';
export { OperatorsErrorCode } from './operators-error-code';
export { OperatorsException } from './operators.exception';
export { AuditTrail } from './audit/audit-trail.repository';
export { OperatorAction, OPERATOR_ACTIONS, AUDIT_ACTION_PATTERN, sha256 } from './audit/audit-entry';
export type { AuditEntry, AuditEntryInput, AuditFilter } from './audit/audit-entry';
export { auditRecordHash } from './audit/audit-chain';
export { VerifyAuditTrailUseCase } from './verify-audit-trail/verify-audit-trail.usecase';
export type { AuditTrailVerification } from './verify-audit-trail/verify-audit-trail.usecase';
export { hashPassword, verifyPassword, isPasswordHash } from './accounts/password-hash';
export { Clock, SystemClock } from './clock';
export { OperatorDirectory } from './directory/directory.port';
export type { DirectoryUser } from './directory/directory.port';
