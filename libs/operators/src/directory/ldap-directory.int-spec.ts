import { Client, ConfidentialityRequiredError } from 'ldapts';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { EnvReader } from '@korpu/config';
import { ProblemDetailsFilter } from '@korpu/errors';
import { StoreModule } from '@korpu/store';
import { startTestDirectory, TEST_DIRECTORY, TestDirectory } from '@korpu/testing';
import { readOperatorsOptions } from '../operators.config';
import { OPERATORS_MIGRATIONS, OperatorsModule } from '../operators.module';
import { DirectoryOptions, operatorsOptions } from '../operators.options';
import { LdapDirectoryAdapter } from './ldap-directory.adapter';

let directory: TestDirectory;

beforeAll(async () => {
  directory = await startTestDirectory();
});

afterAll(async () => {
  await directory?.stop();
});

function adapter(transport: 'starttls' | 'ldaps', change: Partial<DirectoryOptions> = {}): LdapDirectoryAdapter {
  const reader = new EnvReader(directory.gatewayEnv(transport));
  const options = readOperatorsOptions(reader);
  reader.done();
  return new LdapDirectoryAdapter({ ...options, directory: { ...options.directory!, ...change } });
}

describe('LdapDirectoryAdapter against a real OpenLDAP (slapd)', () => {
  it.each(['starttls', 'ldaps'] as const)('finds a user, checks the password and lists the groups over %s', async (transport) => {
    const user = await adapter(transport).authenticate('leyla', directory.password('leyla'));
    expect(user).toEqual({
      name: 'leyla',
      dn: `uid=leyla,${TEST_DIRECTORY.userBase}`,
      groups: expect.arrayContaining([TEST_DIRECTORY.groupDn('korpu-operators'), TEST_DIRECTORY.groupDn('korpu-editors')]),
    });
    expect(user?.groups).toHaveLength(2);
  });

  it('answers no user for a wrong password, an unknown name, a wildcard and an empty password', async () => {
    const ldap = adapter('starttls');
    expect(await ldap.authenticate('leyla', `${directory.password('leyla')}x`)).toBeUndefined();
    expect(await ldap.authenticate('nobody', directory.password('leyla'))).toBeUndefined();
    expect(await ldap.authenticate('*', directory.password('leyla'))).toBeUndefined();
    expect(await ldap.authenticate('leyla', '')).toBeUndefined();
  });

  it('cannot bind without TLS (the directory requires it) nor with a certificate it does not trust', async () => {
    const plain = new Client({ url: directory.ldapUrl, timeout: 5000 });
    await expect(plain.bind(`uid=leyla,${TEST_DIRECTORY.userBase}`, directory.password('leyla'))).rejects.toBeInstanceOf(ConfidentialityRequiredError);
    await plain.unbind();
    await expect(adapter('ldaps', { ca: undefined }).authenticate('leyla', directory.password('leyla'))).rejects.toMatchObject({
      code: 'DIRECTORY_UNAVAILABLE',
    });
  });
});

describe('directory sign-in (OperatorsModule, real OpenLDAP)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const reader = new EnvReader(directory.gatewayEnv('starttls'));
    const options = readOperatorsOptions(reader);
    reader.done();
    const moduleRef = await Test.createTestingModule({
      imports: [StoreModule.forRoot({ migrationDirs: [OPERATORS_MIGRATIONS] }), OperatorsModule.forRoot(operatorsOptions(options))],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    app.useGlobalFilters(new ProblemDetailsFilter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app?.close();
  });

  const signIn = (username: string, password: string) => app.inject({ method: 'POST', url: '/v1/admin/session', payload: { username, password } });

  it('signs a directory user in with the roles of their groups', async () => {
    for (const [user, roles] of [['vusal', ['viewer']], ['leyla', ['operator', 'editor']], ['rauf', ['admin']]] as const) {
      const response = await signIn(user, directory.password(user));
      expect(response.statusCode).toBe(201);
      expect(response.json()).toMatchObject({ token: expect.stringMatching(/^korpu_s_/), operator: { name: user, roles, source: 'directory' } });
    }
  });

  it('refuses a wrong password and a user in no Körpü group', async () => {
    expect((await signIn('aysel', 'not-her-password')).json()).toMatchObject({ code: 'SIGN_IN_FAILED' });
    const nigar = await signIn('nigar', directory.password('nigar'));
    expect(nigar.statusCode).toBe(401);
    expect(nigar.json()).toMatchObject({ code: 'SIGN_IN_FAILED', detail: expect.stringContaining('no Körpü role') });
  });
});
