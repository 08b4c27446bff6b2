import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '../../..');
const script = path.join(repoRoot, 'deploy/local/slapd.sh');

/** The seeded directory of deploy/local/slapd.sh: users and the Körpü groups they are in. */
export const TEST_DIRECTORY = {
  suffix: 'dc=korpu,dc=test',
  userBase: 'ou=users,dc=korpu,dc=test',
  groupBase: 'ou=groups,dc=korpu,dc=test',
  bindDn: 'cn=korpu-gateway,ou=services,dc=korpu,dc=test',
  /** uid → the groups the seed puts them in. */
  users: { vusal: ['korpu-viewers'], aysel: ['korpu-operators'], leyla: ['korpu-editors', 'korpu-operators'], rauf: ['korpu-admins'], nigar: [] },
  groupDn: (cn: string) => `cn=${cn},ou=groups,dc=korpu,dc=test`,
} as const;

export type TestDirectoryUser = keyof typeof TEST_DIRECTORY.users;

export interface TestDirectory {
  ldapUrl: string;
  ldapsUrl: string;
  /** The development CA the directory's certificate chains to. */
  caFile: string;
  bindPasswordFile: string;
  password(user: TestDirectoryUser): string;
  /** The gateway's OPERATOR_LDAP_* settings for this directory (StartTLS on ldap://, or LDAPS), groups mapped to roles. */
  gatewayEnv(transport?: 'starttls' | 'ldaps'): Record<string, string>;
  /** Stops the server if this call started it. */
  stop(): Promise<void>;
}

/** The test directory's ports: TEST_LDAP_PORT / TEST_LDAPS_PORT (defaults 23389 / 23636, apart from a developer's 3389). */
export function testLdapPorts(): { ldap: number; ldaps: number } {
  return { ldap: Number(process.env.TEST_LDAP_PORT ?? 23389), ldaps: Number(process.env.TEST_LDAPS_PORT ?? 23636) };
}

async function slapdSh(command: 'start' | 'stop' | 'status', ports: { ldap: number; ldaps: number }): Promise<void> {
  const env = { ...process.env, SLAPD_PORT: String(ports.ldap), SLAPD_TLS_PORT: String(ports.ldaps) };
  await run('bash', [script, command], { env, maxBuffer: 1 << 20 });
}

/**
 * Starts the real OpenLDAP server of deploy/local/slapd.sh (seeded afresh) for the tests that need a directory,
 * unless ours already runs on the test ports; call `stop()` in afterAll.
 */
export async function startTestDirectory(): Promise<TestDirectory> {
  return startDirectory(testLdapPorts());
}

/** The same seeded directory on given ports (`npm start` runs one on 3389/3636). */
export async function startDirectory(ports: { ldap: number; ldaps: number }): Promise<TestDirectory> {
  const running = await slapdSh('status', ports).then(
    () => true,
    () => false,
  );
  await slapdSh('start', ports);
  const data = path.join(repoRoot, '.local', `slapd-${ports.ldap}`);
  const caFile = path.join(repoRoot, 'certs-dev/out/ca/trust-bundle.crt');
  const ldapUrl = `ldap://127.0.0.1:${ports.ldap}`;
  const ldapsUrl = `ldaps://127.0.0.1:${ports.ldaps}`;
  const bindPasswordFile = path.join(data, 'passwords', 'korpu-gateway.password');
  return {
    ldapUrl,
    ldapsUrl,
    caFile,
    bindPasswordFile,
    password: (user) => fs.readFileSync(path.join(data, 'passwords', `${user}.password`), 'utf8').trim(),
    gatewayEnv: (transport = 'starttls') => ({
      OPERATOR_LDAP_URL: transport === 'ldaps' ? ldapsUrl : ldapUrl,
      OPERATOR_LDAP_STARTTLS: String(transport === 'starttls'),
      OPERATOR_LDAP_CA_FILE: caFile,
      OPERATOR_LDAP_BIND_DN: TEST_DIRECTORY.bindDn,
      OPERATOR_LDAP_BIND_PASSWORD_FILE: bindPasswordFile,
      OPERATOR_LDAP_USER_BASE: TEST_DIRECTORY.userBase,
      OPERATOR_LDAP_GROUP_BASE: TEST_DIRECTORY.groupBase,
      OPERATOR_LDAP_GROUP_ROLES: JSON.stringify({
        [TEST_DIRECTORY.groupDn('korpu-viewers')]: 'viewer',
        [TEST_DIRECTORY.groupDn('korpu-operators')]: 'operator',
        [TEST_DIRECTORY.groupDn('korpu-editors')]: 'editor',
        [TEST_DIRECTORY.groupDn('korpu-admins')]: 'admin',
      }),
    }),
    stop: async () => {
      if (!running) await slapdSh('stop', ports);
    },
  };
}

/**
 * Writes an OPERATOR_ACCOUNTS_FILE (break-glass accounts, scrypt-hashed) with the given passwords, mode 0600,
 * and returns its path.
 */
export async function writeOperatorAccountsFile(
  file: string,
  accounts: Array<{ username: string; password: string; roles: string[] }>,
): Promise<string> {
  const { hashPassword } = await import('@korpu/operators');
  const entries = await Promise.all(accounts.map(async (a) => ({ username: a.username, roles: a.roles, passwordHash: await hashPassword(a.password) })));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ accounts: entries }, null, 2), { mode: 0o600 });
  return file;
}
