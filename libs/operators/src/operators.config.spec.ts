import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigException, EnvReader } from '@korpu/config';
import { escapeFilterValue } from './directory/distinguished-name';
import { readOperatorsOptions } from './operators.config';

const read = (env: Record<string, string>) => {
  const reader = new EnvReader(env);
  const options = readOperatorsOptions(reader);
  return { options, done: () => reader.done() };
};

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    read(env).done();
    return [];
  } catch (error) {
    return (error as ConfigException).problems;
  }
};

describe('readOperatorsOptions', () => {
  it('reads service tokens with roles (admin when none is named), never echoing a token', () => {
    const { options } = read({ ADMIN_OPERATORS: 'token-of-monitoring-01=monitoring:viewer,token-of-the-legacy-ci=ci' });
    expect(options.serviceTokens).toEqual([
      { token: 'token-of-monitoring-01', name: 'monitoring', roles: ['viewer'] },
      { token: 'token-of-the-legacy-ci', name: 'ci', roles: ['admin'] },
    ]);
    const problems = problemsOf({ ADMIN_OPERATORS: 'short=x,long-enough-token-0001=y:root' });
    expect(problems).toEqual([expect.stringContaining('entry 1: the token must be at least 16'), expect.stringContaining('entry 2: the roles')]);
    expect(problems.join(' ')).not.toContain('long-enough-token-0001');
  });

  it('refuses a directory over plain LDAP and names every missing setting', () => {
    const problems = problemsOf({ OPERATOR_LDAP_URL: 'ldap://dc.example.test', OPERATOR_LDAP_STARTTLS: 'false' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('OPERATOR_LDAP_STARTTLS must be true'),
        expect.stringContaining('OPERATOR_LDAP_BIND_PASSWORD_FILE is required'),
        expect.stringContaining('OPERATOR_LDAP_GROUP_ROLES is required'),
        'OPERATOR_LDAP_BIND_DN is required',
        'OPERATOR_LDAP_USER_BASE is required',
        'OPERATOR_LDAP_GROUP_BASE is required',
      ]),
    );
  });

  it('reads break-glass accounts from a file and refuses one without a proper hash', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'korpu-accounts-'));
    const file = path.join(dir, 'accounts.json');
    fs.writeFileSync(file, JSON.stringify({ accounts: [{ username: 'breakglass', roles: ['admin'], passwordHash: 'hunter2' }] }));
    expect(problemsOf({ OPERATOR_ACCOUNTS_FILE: file })).toEqual([expect.stringContaining('account 1: "passwordHash" must be an scrypt hash')]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('LDAP filter values', () => {
  it('escapes what would change a filter', () => {
    expect(escapeFilterValue('*)(uid=*')).toBe('\\2a\\29\\28uid=\\2a');
    expect(escapeFilterValue('a\\b')).toBe('a\\5cb');
  });
});
