import * as fs from 'node:fs';
import { EnvReader } from '@korpu/config';
import { normalizeDn } from './directory/distinguished-name';
import { isPasswordHash } from './accounts/password-hash';
import {
  DEFAULT_SESSIONS,
  DEFAULT_THROTTLE,
  DirectoryOptions,
  LocalAccount,
  OperatorsOptions,
  ServiceToken,
} from './operators.options';
import { isRole, Role, ROLES } from './permissions';

const USERNAME = /^[A-Za-z0-9._@-]{1,128}$/;

function readRoles(text: string, where: string, read: EnvReader): Role[] | undefined {
  const roles = text.split('+').map((role) => role.trim()).filter(Boolean);
  if (roles.length === 0 || !roles.every(isRole)) {
    read.problem(`${where} must name roles from ${ROLES.join(', ')}`);
    return undefined;
  }
  return roles as Role[];
}

/**
 * ADMIN_OPERATORS=`token=name[:role+role],...`: service tokens for scripts and monitoring. Without roles a token is
 * admin (the form before roles existed). Tokens are never echoed in errors.
 */
function readServiceTokens(read: EnvReader): ServiceToken[] {
  const tokens: ServiceToken[] = [];
  Object.entries(read.map('ADMIN_OPERATORS')).forEach(([token, value], index) => {
    const where = `ADMIN_OPERATORS entry ${index + 1}`;
    const [name, roleText] = value.split(':', 2);
    if (token.length < 16) read.problem(`${where}: the token must be at least 16 characters`);
    if (!USERNAME.test(name ?? '')) read.problem(`${where}: the name must be 1-128 of A-Z a-z 0-9 . _ @ -`);
    const roles = roleText === undefined ? [Role.ADMIN] : readRoles(roleText, `${where}: the roles`, read);
    if (roles && token.length >= 16 && USERNAME.test(name ?? '')) tokens.push({ token, name, roles });
  });
  return tokens;
}

/** OPERATOR_ACCOUNTS_FILE: `{"accounts":[{"username","roles":[...],"passwordHash":"$scrypt$..."}]}` (break-glass accounts). */
function readLocalAccounts(read: EnvReader): LocalAccount[] {
  const file = read.string('OPERATOR_ACCOUNTS_FILE');
  if (!file) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    read.problem(`OPERATOR_ACCOUNTS_FILE ${file} is not readable JSON (${(error as Error).message.split('\n')[0]})`);
    return [];
  }
  const entries = (parsed as { accounts?: unknown })?.accounts;
  if (!Array.isArray(entries)) {
    read.problem(`OPERATOR_ACCOUNTS_FILE ${file} must hold {"accounts": [...]}`);
    return [];
  }
  const accounts: LocalAccount[] = [];
  const seen = new Set<string>();
  entries.forEach((entry: { username?: unknown; roles?: unknown; passwordHash?: unknown }, index) => {
    const where = `OPERATOR_ACCOUNTS_FILE account ${index + 1}`;
    const username = typeof entry?.username === 'string' ? entry.username : '';
    const roles = Array.isArray(entry?.roles) ? entry.roles : [];
    const problems = read;
    if (!USERNAME.test(username)) problems.problem(`${where}: "username" must be 1-128 of A-Z a-z 0-9 . _ @ -`);
    else if (seen.has(username.toLowerCase())) problems.problem(`${where}: "${username}" is listed twice`);
    if (roles.length === 0 || !roles.every(isRole)) problems.problem(`${where}: "roles" must list roles from ${ROLES.join(', ')}`);
    if (!isPasswordHash(entry?.passwordHash)) problems.problem(`${where}: "passwordHash" must be an scrypt hash (npm run operators:hash-password)`);
    if (USERNAME.test(username) && !seen.has(username.toLowerCase()) && roles.length && roles.every(isRole) && isPasswordHash(entry?.passwordHash)) {
      seen.add(username.toLowerCase());
      accounts.push({ username, roles: roles as Role[], passwordHash: entry.passwordHash as string });
    }
  });
  return accounts;
}

function readFileOrProblem(read: EnvReader, name: string): string | undefined {
  const file = read.string(name);
  if (!file) return undefined;
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    read.problem(`${name}: cannot read ${file}`);
    return undefined;
  }
}

/** OPERATOR_LDAP_*: directory sign-in; absent OPERATOR_LDAP_URL: none (local accounts and service tokens only). */
function readDirectory(read: EnvReader): DirectoryOptions | undefined {
  const url = read.url('OPERATOR_LDAP_URL');
  if (!url) return undefined;
  const scheme = url.split(':')[0].toLowerCase();
  if (scheme !== 'ldap' && scheme !== 'ldaps') read.problem(`OPERATOR_LDAP_URL must be ldaps://... or ldap://... (with StartTLS), got "${url}"`);
  const startTls = read.bool('OPERATOR_LDAP_STARTTLS', scheme === 'ldap');
  if (scheme === 'ldap' && !startTls) read.problem('OPERATOR_LDAP_STARTTLS must be true for an ldap:// URL: passwords never cross the network in clear');
  if (scheme === 'ldaps' && startTls) read.problem('OPERATOR_LDAP_STARTTLS must be false for an ldaps:// URL (it is TLS already)');
  const bindPassword = readFileOrProblem(read, 'OPERATOR_LDAP_BIND_PASSWORD_FILE')?.trim();
  if (bindPassword === undefined) read.problem('OPERATOR_LDAP_BIND_PASSWORD_FILE is required with OPERATOR_LDAP_URL');
  const userFilter = read.string('OPERATOR_LDAP_USER_FILTER', '(uid={username})');
  if (!userFilter.includes('{username}')) read.problem('OPERATOR_LDAP_USER_FILTER must contain {username}');
  const groupFilter = read.string('OPERATOR_LDAP_GROUP_FILTER', '(member={dn})');
  if (!groupFilter.includes('{dn}')) read.problem('OPERATOR_LDAP_GROUP_FILTER must contain {dn}');
  const groupRoles: Record<string, Role[]> = {};
  const rolesText = read.string('OPERATOR_LDAP_GROUP_ROLES');
  if (!rolesText) read.problem('OPERATOR_LDAP_GROUP_ROLES is required with OPERATOR_LDAP_URL: {"<group DN>": "role" | ["role", ...]}');
  else {
    try {
      const parsed = JSON.parse(rolesText) as Record<string, unknown>;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      Object.entries(parsed).forEach(([dn, value], index) => {
        const list = Array.isArray(value) ? value : [value];
        if (!list.length || !list.every(isRole)) read.problem(`OPERATOR_LDAP_GROUP_ROLES entry ${index + 1} must map to roles from ${ROLES.join(', ')}`);
        else groupRoles[normalizeDn(dn)] = [...new Set([...(groupRoles[normalizeDn(dn)] ?? []), ...(list as Role[])])];
      });
    } catch {
      read.problem('OPERATOR_LDAP_GROUP_ROLES must be a JSON object {"<group DN>": "role" | ["role", ...]}');
    }
  }
  return {
    url,
    startTls,
    ca: readFileOrProblem(read, 'OPERATOR_LDAP_CA_FILE'),
    bindDn: read.required('OPERATOR_LDAP_BIND_DN'),
    bindPassword: bindPassword ?? '',
    userBase: read.required('OPERATOR_LDAP_USER_BASE'),
    userFilter,
    nameAttribute: read.string('OPERATOR_LDAP_NAME_ATTRIBUTE', 'uid'),
    groupBase: read.required('OPERATOR_LDAP_GROUP_BASE'),
    groupFilter,
    groupRoles,
    timeoutMs: read.int('OPERATOR_LDAP_TIMEOUT_MS', 5000, { min: 100, max: 60000 }),
  };
}

/** Operator sign-in, sessions and throttling, read once at boot; each problem names its variable, never a secret. */
export function readOperatorsOptions(read: EnvReader): OperatorsOptions {
  const idleSeconds = read.int('OPERATOR_SESSION_IDLE_SECONDS', DEFAULT_SESSIONS.idleSeconds, { min: 1, max: 24 * 3600 });
  const maxSeconds = read.int('OPERATOR_SESSION_MAX_SECONDS', DEFAULT_SESSIONS.maxSeconds, { min: 1, max: 7 * 24 * 3600 });
  return {
    serviceTokens: readServiceTokens(read),
    localAccounts: readLocalAccounts(read),
    directory: readDirectory(read),
    sessions: { idleSeconds: Math.min(idleSeconds, maxSeconds), maxSeconds },
    throttle: {
      maxFailuresPerAccount: read.int('OPERATOR_SIGN_IN_MAX_FAILURES', DEFAULT_THROTTLE.maxFailuresPerAccount, { min: 1, max: 1000 }),
      maxFailuresPerSource: read.int('OPERATOR_SIGN_IN_MAX_FAILURES_PER_SOURCE', DEFAULT_THROTTLE.maxFailuresPerSource, { min: 1, max: 100000 }),
      windowSeconds: read.int('OPERATOR_SIGN_IN_WINDOW_SECONDS', DEFAULT_THROTTLE.windowSeconds, { min: 1, max: 24 * 3600 }),
      lockSeconds: read.int('OPERATOR_SIGN_IN_LOCK_SECONDS', DEFAULT_THROTTLE.lockSeconds, { min: 1, max: 24 * 3600 }),
    },
  };
}
