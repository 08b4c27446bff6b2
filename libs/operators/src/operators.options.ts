import { Role } from './permissions';

/** A static bearer token for scripts and monitoring (ADMIN_OPERATORS), with the roles it acts with. */
export interface ServiceToken {
  token: string;
  name: string;
  roles: Role[];
}

/** A break-glass account kept in configuration: its password as an scrypt hash (`npm run operators:hash-password`). */
export interface LocalAccount {
  username: string;
  roles: Role[];
  passwordHash: string;
}

/** Sign-in against LDAP / Active Directory, always over TLS (LDAPS, or StartTLS on ldap://). */
export interface DirectoryOptions {
  url: string;
  /** Upgrade an ldap:// connection with StartTLS before any bind (required for ldap://). */
  startTls: boolean;
  /** PEM of the CAs the directory's certificate must chain to (absent: the system's). */
  ca?: string;
  /** The account the gateway binds as to find users and their groups. */
  bindDn: string;
  bindPassword: string;
  userBase: string;
  /** `{username}` is replaced by the escaped user name, e.g. `(sAMAccountName={username})` for AD. */
  userFilter: string;
  /** Attribute whose value is the name the audit trail records (uid; sAMAccountName on AD). */
  nameAttribute: string;
  groupBase: string;
  /** `{dn}` is replaced by the escaped user DN; on AD `(member:1.2.840.113556.1.4.1941:={dn})` also finds nested groups. */
  groupFilter: string;
  /** Normalised group DN → roles it gives. */
  groupRoles: Record<string, Role[]>;
  timeoutMs: number;
}

export interface SessionOptions {
  /** A session not used for this long ends. */
  idleSeconds: number;
  /** A session ends this long after sign-in whatever its use. */
  maxSeconds: number;
}

export interface ThrottleOptions {
  /** Failed sign-ins of one account within the window before it is locked. */
  maxFailuresPerAccount: number;
  /** Failed sign-ins from one address within the window before it is locked. */
  maxFailuresPerSource: number;
  windowSeconds: number;
  lockSeconds: number;
}

export interface OperatorsOptions {
  serviceTokens: ServiceToken[];
  localAccounts: LocalAccount[];
  directory?: DirectoryOptions;
  sessions: SessionOptions;
  throttle: ThrottleOptions;
  /** Serve the sign-in and audit routes (`/v1/admin/session`, `/v1/admin/audit`); default true. */
  http?: boolean;
}

export const OPERATORS_OPTIONS = Symbol('OPERATORS_OPTIONS');

export const DEFAULT_SESSIONS: SessionOptions = { idleSeconds: 30 * 60, maxSeconds: 8 * 60 * 60 };
export const DEFAULT_THROTTLE: ThrottleOptions = { maxFailuresPerAccount: 5, maxFailuresPerSource: 20, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };

/** Options with defaults for what is not given (tests, processes that only need the audit trail). */
export function operatorsOptions(partial: Partial<OperatorsOptions> = {}): OperatorsOptions {
  return {
    serviceTokens: [],
    localAccounts: [],
    ...partial,
    sessions: { ...DEFAULT_SESSIONS, ...partial.sessions },
    throttle: { ...DEFAULT_THROTTLE, ...partial.throttle },
  };
}

/** The legacy `{ [token]: name }` map of FailedMessagesModule: service tokens with the admin role. */
export function serviceTokensFrom(map: Record<string, string>): ServiceToken[] {
  return Object.entries(map)
    .filter(([token, name]) => token.length > 0 && typeof name === 'string' && name.length > 0)
    .map(([token, name]) => ({ token, name, roles: [Role.ADMIN] }));
}
