import { Controller, Get, Post, UseGuards } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { ProblemDetailsFilter } from '@korpu/errors';
import { Database, StoreModule } from '@korpu/store';
import { hashPassword } from '../accounts/password-hash';
import { Clock } from '../clock';
import { DirectoryUser, OperatorDirectory } from '../directory/directory.port';
import { OPERATORS_MIGRATIONS, OperatorsModule } from '../operators.module';
import { operatorsOptions } from '../operators.options';
import { Permission, Role } from '../permissions';
import { VerifyAuditTrailUseCase } from '../verify-audit-trail/verify-audit-trail.usecase';
import { AdminGuard } from './admin.guard';
import { Operator, RequirePermission } from './operator.decorator';

@UseGuards(AdminGuard)
@Controller('v1/admin/test')
class ProbeController {
  @Get('read')
  @RequirePermission(Permission.READ_FAILED_MESSAGES)
  read(@Operator() operator: string) {
    return { operator };
  }

  @Post('replay')
  @RequirePermission(Permission.REPLAY)
  replay() {
    return { replayed: true };
  }

  @Post('edit')
  @RequirePermission(Permission.EDIT)
  edit() {
    return { edited: true };
  }

  @Get('undeclared')
  undeclared() {
    return { ok: true };
  }
}

class MovableClock extends Clock {
  time = Date.parse('2026-12-02T08:00:00Z');
  now(): Date {
    return new Date(this.time);
  }
}

const GROUPS = 'ou=groups,dc=korpu,dc=test';
/** A directory of two users: vusal (viewers) and leyla (operators + editors); password = name reversed. */
class FakeDirectory extends OperatorDirectory {
  async authenticate(username: string, password: string): Promise<DirectoryUser | undefined> {
    const groups: Record<string, string[]> = {
      vusal: [`cn=korpu-viewers,${GROUPS}`],
      leyla: [`CN=korpu-operators, ${GROUPS}`, `cn=korpu-editors,${GROUPS}`],
      nigar: [`cn=somewhere-else,${GROUPS}`],
    };
    if (!groups[username] || password !== [...username].reverse().join('')) return undefined;
    return { name: username, dn: `uid=${username},ou=users,dc=korpu,dc=test`, groups: groups[username] };
  }
}

const clock = new MovableClock();
let app: NestFastifyApplication;
let db: Database;

beforeAll(async () => {
  const options = operatorsOptions({
    serviceTokens: [{ token: 'monitoring-token-0123456789', name: 'monitoring', roles: [Role.VIEWER] }],
    localAccounts: [{ username: 'breakglass', roles: [Role.ADMIN], passwordHash: await hashPassword('correct horse battery') }],
    directory: {
      url: 'ldaps://directory.invalid',
      startTls: false,
      bindDn: 'cn=x',
      bindPassword: 'x',
      userBase: 'ou=users,dc=korpu,dc=test',
      userFilter: '(uid={username})',
      nameAttribute: 'uid',
      groupBase: GROUPS,
      groupFilter: '(member={dn})',
      groupRoles: {
        [`cn=korpu-viewers,${GROUPS}`]: [Role.VIEWER],
        [`cn=korpu-operators,${GROUPS}`]: [Role.OPERATOR],
        [`cn=korpu-editors,${GROUPS}`]: [Role.EDITOR],
      },
      timeoutMs: 1000,
    },
    sessions: { idleSeconds: 600, maxSeconds: 3600 },
    throttle: { maxFailuresPerAccount: 3, maxFailuresPerSource: 100, windowSeconds: 900, lockSeconds: 300 },
  });
  const moduleRef = await Test.createTestingModule({
    imports: [StoreModule.forRoot({ migrationDirs: [OPERATORS_MIGRATIONS] }), OperatorsModule.forRoot(options)],
    controllers: [ProbeController],
  })
    .overrideProvider(Clock)
    .useValue(clock)
    .overrideProvider(OperatorDirectory)
    .useValue(new FakeDirectory())
    .compile();
  app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
  app.useGlobalFilters(new ProblemDetailsFilter());
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  db = app.get(Database);
});

afterAll(async () => {
  await app?.close();
});

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token?: string, body?: Record<string, unknown>) =>
  app.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(body ? { payload: body } : {}) });

async function signIn(username: string, password: string): Promise<string> {
  const response = await call('POST', '/v1/admin/session', undefined, { username, password });
  expect(response.statusCode).toBe(201);
  return (response.json() as { token: string }).token;
}

describe('operator sign-in, roles and sessions (Fastify, PGlite)', () => {
  it('maps directory groups to roles (DNs compared case- and blank-insensitively) and enforces each route\'s permission', async () => {
    const viewer = await signIn('vusal', 'lasuv');
    const editor = await signIn('leyla', 'alyel');
    expect((await call('GET', '/v1/admin/session', editor)).json()).toMatchObject({ name: 'leyla', roles: ['operator', 'editor'], source: 'directory' });
    expect((await call('GET', '/v1/admin/test/read', viewer)).json()).toEqual({ operator: 'vusal' });
    const refused = await call('POST', '/v1/admin/test/replay', viewer);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'OPERATOR_FORBIDDEN', required: [Permission.REPLAY] });
    expect((await call('POST', '/v1/admin/test/replay', editor)).statusCode).toBe(201);
    expect((await call('POST', '/v1/admin/test/edit', editor)).statusCode).toBe(201);
    expect((await call('GET', '/v1/admin/audit', viewer)).statusCode).toBe(403);
  });

  it('keeps a route without a declared permission for admins only', async () => {
    const admin = await signIn('breakglass', 'correct horse battery');
    expect((await call('GET', '/v1/admin/session', admin)).json()).toMatchObject({ name: 'breakglass', roles: ['admin'], source: 'local' });
    expect((await call('GET', '/v1/admin/test/undeclared', admin)).statusCode).toBe(200);
    expect((await call('GET', '/v1/admin/test/undeclared', await signIn('leyla', 'alyel'))).statusCode).toBe(403);
  });

  it('accepts a service token with its configured role only', async () => {
    expect((await call('GET', '/v1/admin/test/read', 'monitoring-token-0123456789')).json()).toEqual({ operator: 'monitoring' });
    expect((await call('POST', '/v1/admin/test/replay', 'monitoring-token-0123456789')).statusCode).toBe(403);
    for (const token of [undefined, 'monitoring-token-0123456780', 'korpu_s_forged']) {
      const response = await call('GET', '/v1/admin/test/read', token);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'ADMIN_UNAUTHENTICATED' });
    }
  });

  it('refuses a wrong password, an unknown user and a directory user without a Körpü group alike, and audits each', async () => {
    for (const [username, password] of [['vusal', 'wrong'], ['nobody', 'x'], ['nigar', 'ragin'], ['breakglass', 'wrong']]) {
      const response = await call('POST', '/v1/admin/session', undefined, { username, password });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'SIGN_IN_FAILED' });
    }
    const admin = await signIn('breakglass', 'correct horse battery');
    const audit = (await call('GET', '/v1/admin/audit?action=sign-in-failed&limit=10', admin)).json() as { items: Array<{ operator: string; detail: { reason: string } }> };
    expect(audit.items.map((entry) => [entry.operator, entry.detail.reason])).toEqual(
      expect.arrayContaining([['vusal', 'invalid-credentials'], ['nobody', 'invalid-credentials'], ['nigar', 'no-role']]),
    );
  });

  it('throttles an account after the configured failures, even with the right password, until the lock ends', async () => {
    const attempt = (password: string) => call('POST', '/v1/admin/session', undefined, { username: 'leyla', password });
    for (let i = 0; i < 3; i++) expect((await attempt('wrong')).statusCode).toBe(401);
    const locked = await attempt('alyel');
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'SIGN_IN_THROTTLED', retryAfterSeconds: 300 });
    expect(locked.headers['retry-after']).toBe('300');
    clock.time += 301_000;
    expect((await attempt('alyel')).statusCode).toBe(201);
  });

  it('ends a session on sign-out, and after its idle and absolute expiry', async () => {
    const token = await signIn('vusal', 'lasuv');
    expect((await call('DELETE', '/v1/admin/session', token)).statusCode).toBe(204);
    const after = await call('GET', '/v1/admin/test/read', token);
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ code: 'OPERATOR_SESSION_ENDED' });

    const idle = await signIn('vusal', 'lasuv');
    clock.time += 500_000;
    expect((await call('GET', '/v1/admin/test/read', idle)).statusCode).toBe(200); // used: idle expiry moves on
    clock.time += 500_000;
    expect((await call('GET', '/v1/admin/test/read', idle)).statusCode).toBe(200);
    clock.time += 601_000;
    expect((await call('GET', '/v1/admin/test/read', idle)).json()).toMatchObject({ code: 'OPERATOR_SESSION_ENDED' });

    const busy = await signIn('vusal', 'lasuv');
    for (let minutes = 0; minutes < 60; minutes += 9) {
      expect((await call('GET', '/v1/admin/test/read', busy)).statusCode).toBe(200);
      clock.time += 9 * 60_000;
    }
    expect((await call('GET', '/v1/admin/test/read', busy)).json()).toMatchObject({ code: 'OPERATOR_SESSION_ENDED' });
  });

  it('lets an admin list live sessions and end one, audited; others may not', async () => {
    const admin = await signIn('breakglass', 'correct horse battery');
    const victim = await signIn('leyla', 'alyel');
    const live = (await call('GET', '/v1/admin/sessions', admin)).json() as Array<{ sessionId: string; operator: string; source: string }>;
    const leyla = live.find((session) => session.operator === 'leyla');
    expect(leyla).toMatchObject({ source: 'directory', sessionId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(JSON.stringify(live)).not.toContain(victim);
    expect((await call('GET', '/v1/admin/sessions', victim)).statusCode).toBe(403);
    expect((await call('DELETE', `/v1/admin/sessions/${leyla!.sessionId}`, admin)).statusCode).toBe(204);
    expect((await call('GET', '/v1/admin/test/read', victim)).json()).toMatchObject({ code: 'OPERATOR_SESSION_ENDED' });
    expect((await call('DELETE', `/v1/admin/sessions/${leyla!.sessionId}`, admin)).json()).toMatchObject({ code: 'OPERATOR_SESSION_NOT_FOUND' });
    const audit = (await call('GET', '/v1/admin/audit?action=end-session', admin)).json() as { items: Array<{ operator: string; detail: Record<string, string> }> };
    expect(audit.items[0]).toMatchObject({ operator: 'breakglass', detail: { sessionOperator: 'leyla', sessionId: leyla!.sessionId } });
  });

  it('stores only the hash of a session token', async () => {
    const token = await signIn('vusal', 'lasuv');
    const { rows } = await db.query<{ token_hash: string }>('SELECT token_hash FROM operator_sessions');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((row) => row.token_hash === token || row.token_hash.includes(token))).toBe(false);
  });

  it('exports the audit trail as NDJSON and CSV, audits the export, and the chain verifies until an entry is changed', async () => {
    const admin = await signIn('breakglass', 'correct horse battery');
    const ndjson = await call('GET', '/v1/admin/audit/export?format=ndjson&action=sign-in', admin);
    expect(ndjson.statusCode).toBe(200);
    expect(ndjson.headers['content-type']).toMatch(/application\/x-ndjson/);
    const lines = ndjson.body.trim().split('\n').map((line) => JSON.parse(line) as { action: string; seq: number; hash: string });
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.every((line) => line.action === 'sign-in' && /^[0-9a-f]{64}$/.test(line.hash))).toBe(true);
    expect(lines.map((line) => line.seq)).toEqual([...lines.map((line) => line.seq)].sort((a, b) => a - b));
    const csv = await call('GET', '/v1/admin/audit/export?format=csv&operator=nobody', admin);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="korpu-audit-.*\.csv"/);
    const [header, ...rows] = csv.body.trim().split('\r\n');
    expect(header).toBe('seq,at,operator,action,messageIds,reason,before,after,beforeHash,afterHash,detail,prevHash,hash');
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.every((row) => row.split(',')[2] === 'nobody')).toBe(true);
    expect((await call('GET', '/v1/admin/audit/export?format=xml', admin)).json()).toMatchObject({ code: 'OPERATOR_REQUEST_INVALID' });
    const exports = (await call('GET', '/v1/admin/audit?action=export-audit', admin)).json() as { items: Array<{ operator: string; detail: { format: string } }> };
    expect(exports.items.map((entry) => entry.detail.format)).toEqual(['csv', 'ndjson']);

    const verify = app.get(VerifyAuditTrailUseCase);
    const intact = await verify.execute();
    expect(intact).toMatchObject({ ok: true });
    expect(intact.checkedRecords).toBe(intact.head.seq);
    await expect(db.query(`UPDATE audit_trail SET operator = 'someone-else' WHERE seq = 2`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_trail WHERE seq = 2`)).rejects.toThrow(/append-only/);
    // Someone with the owner's rights switches the trigger off and rewrites an entry: the chain names it.
    await db.execScript(`ALTER TABLE audit_trail DISABLE TRIGGER audit_trail_append_only;
      UPDATE audit_trail SET reason = 'rewritten' WHERE seq = 2;
      ALTER TABLE audit_trail ENABLE TRIGGER audit_trail_append_only;`);
    expect(await verify.execute()).toMatchObject({ ok: false, break: { seq: 2, reason: 'hash-mismatch' } });
  });

  it('answers 400 for a malformed sign-in body, with every problem', async () => {
    const response = await call('POST', '/v1/admin/session', undefined, { username: 'a b', password: '' });
    expect(response.statusCode).toBe(400);
    expect((response.json() as { problems: string[] }).problems).toHaveLength(2);
  });
});
