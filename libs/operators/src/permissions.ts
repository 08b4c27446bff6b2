/**
 * What an operator may do. Routes declare the permission they need (`@RequirePermission`), roles grant sets of
 * them (ROLE_PERMISSIONS, below: the one place that says which role may do what), and other capabilities consult
 * them too (the masking of personal data asks for UNMASK).
 */
export const Permission = {
  /** Lists and details of failed messages, failure groups (personal data masked without UNMASK). */
  READ_FAILED_MESSAGES: 'failed-messages:read',
  /** Replay one message or a selection, by group or by filter. */
  REPLAY: 'failed-messages:replay',
  /** Close a failed message without replaying it (resolve, archive). */
  RESOLVE: 'failed-messages:resolve',
  /** Discard with a reason, restore. */
  DISCARD: 'failed-messages:discard',
  /** Create, pause, resume and cancel bulk replay jobs. */
  BULK_JOBS: 'failed-messages:bulk-jobs',
  /** Run the retention purge of closed failed messages by hand (admins). */
  PURGE: 'failed-messages:purge',
  /** Edit a payload and replay the edited copy. */
  EDIT: 'failed-messages:edit',
  /** See personal data unmasked (with a stated reason; audited). */
  UNMASK: 'personal-data:unmask',
  READ_AUDIT: 'audit:read',
  EXPORT_AUDIT: 'audit:export',
  READ_ACCESS_RIGHTS: 'access-rights:read',
  /** The operational records of exchanges (metadata only: who, what, sizes, timings, result; never a payload). */
  READ_OPERATIONAL_RECORDS: 'operational-records:read',
  MANAGE_ACCESS_RIGHTS: 'access-rights:manage',
  /** Operator accounts and sessions of others. */
  MANAGE_ACCOUNTS: 'accounts:manage',
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];
export const PERMISSIONS: readonly Permission[] = Object.values(Permission);

export const Role = {
  VIEWER: 'viewer',
  OPERATOR: 'operator',
  /** A permission role beside operator: edit-and-replay (someone may replay without being allowed to change payloads). */
  EDITOR: 'editor',
  /** Reads and exports the audit trail. */
  AUDITOR: 'auditor',
  ADMIN: 'admin',
} as const;
export type Role = (typeof Role)[keyof typeof Role];
export const ROLES: readonly Role[] = Object.values(Role);

const VIEW: readonly Permission[] = [Permission.READ_FAILED_MESSAGES, Permission.READ_ACCESS_RIGHTS, Permission.READ_OPERATIONAL_RECORDS];

/** Role → permissions. An operator with several roles holds the union. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  [Role.VIEWER]: VIEW,
  [Role.OPERATOR]: [...VIEW, Permission.REPLAY, Permission.RESOLVE, Permission.DISCARD, Permission.BULK_JOBS, Permission.READ_AUDIT],
  [Role.EDITOR]: [...VIEW, Permission.EDIT, Permission.READ_AUDIT],
  [Role.AUDITOR]: [...VIEW, Permission.READ_AUDIT, Permission.EXPORT_AUDIT],
  [Role.ADMIN]: PERMISSIONS,
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The permissions of a set of roles, sorted. */
export function permissionsOf(roles: readonly Role[]): Permission[] {
  const granted = new Set<Permission>();
  for (const role of roles) for (const permission of ROLE_PERMISSIONS[role] ?? []) granted.add(permission);
  return PERMISSIONS.filter((permission) => granted.has(permission));
}
