import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AppProcess,
  freePort,
  httpsReady,
  kafkaCredentialsEnv,
  repoRoot,
  startApp,
  startTestDirectory,
  stopAllApps,
  TestDirectory,
  writeOperatorAccountsFile,
} from '@korpu/testing';
import { fastRetryContracts } from '../support/load';
import { closeHttpsAgents, httpsRequest } from '../support/https-client';
import { Stack, api, startStack, waitFor } from '../support/stack';

// Role boundaries of the admin API and the korpu CLI, with the gateway signing operators in against a real
// OpenLDAP directory (deploy/local/slapd.sh: vusal viewer, aysel operator, leyla editor + operator, rauf admin,
// nigar in no Körpü group) and a break-glass account.
const BREAK_GLASS = { username: 'breakglass', password: 'operators e2e break-glass password' };
const TRUST_BUNDLE = path.join(repoRoot, 'certs-dev/out/ca/trust-bundle.crt');
let directory: TestDirectory;
let stack: Stack;
let workDir: string;
/** Two dead-lettered messages: one for the API's role boundaries, one for the CLI. */
let apiMessage: string;
let cliMessage: string;
/** Dead-lettered for the CLI's discard/restore, bulk job and edit commands. */
let discardMessage: string;
let jobMessage: string;
let editMessage: string;
const tokens: Record<string, string> = {};

async function setFault(fault: Record<string, unknown>): Promise<void> {
  await fetch(`${stack.taxServiceUrl}/_sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
}

const as = (who: string, method: string, url: string, body?: unknown) => api(stack, method, url, body, { authorization: `Bearer ${tokens[who]}` });

async function signIn(username: string, password: string): ReturnType<typeof api> {
  return api(stack, 'POST', '/v1/admin/session', { username, password }, {});
}

async function deadLetter(voen: string): Promise<string> {
  await setFault({ mode: 'invalid-schema', count: 1 });
  const submitted = await api(stack, 'POST', '/v1/messages', { service: 'tax-service/GetTaxpayer', payload: { voen } });
  expect(submitted.status).toBe(202);
  const messageId = submitted.body.messageId as string;
  await waitFor(`the failed-message record of ${messageId}`, async () =>
    (await as('breakglass', 'GET', `/v1/admin/failed-messages/${messageId}`)).status === 200 ? true : undefined,
  );
  return messageId;
}

beforeAll(async () => {
  directory = await startTestDirectory();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'korpu-operators-e2e-'));
  const accounts = await writeOperatorAccountsFile(path.join(workDir, 'accounts.json'), [{ ...BREAK_GLASS, roles: ['admin'] }]);
  stack = await startStack({
    contractsDir: fastRetryContracts(),
    env: {
      ...directory.gatewayEnv('starttls'),
      OPERATOR_ACCOUNTS_FILE: accounts,
      OPERATOR_SIGN_IN_MAX_FAILURES: '3',
      OPERATOR_SIGN_IN_LOCK_SECONDS: '600',
    },
  });
  const admin = await signIn(BREAK_GLASS.username, BREAK_GLASS.password);
  expect(admin.status).toBe(201);
  tokens.breakglass = admin.body.token;
  apiMessage = await deadLetter('1810000021');
  cliMessage = await deadLetter('1810000022');
  discardMessage = await deadLetter('1810000061');
  jobMessage = await deadLetter('1810000071');
  editMessage = await deadLetter('1810000081');
});

afterAll(async () => {
  await stack?.stop();
  await stopAllApps();
  closeHttpsAgents();
  await directory?.stop();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  if (stack?.env.CONTRACTS_DIR) fs.rmSync(stack.env.CONTRACTS_DIR, { recursive: true, force: true });
});

describe('role boundaries of the admin API (directory accounts, apps as processes)', () => {
  it('signs directory users in with the roles their groups give, and refuses a user in no Körpü group', async () => {
    for (const [user, roles] of [['vusal', ['viewer']], ['aysel', ['operator']], ['leyla', ['operator', 'editor']], ['rauf', ['admin']]] as const) {
      const answer = await signIn(user, directory.password(user));
      expect(answer.status).toBe(201);
      expect(answer.body.operator).toMatchObject({ name: user, roles, source: 'directory' });
      tokens[user] = answer.body.token;
    }
    expect((await as('leyla', 'GET', '/v1/admin/session')).body).toMatchObject({ name: 'leyla', permissions: expect.arrayContaining(['failed-messages:edit']) });
    const nigar = await signIn('nigar', directory.password('nigar'));
    expect(nigar.status).toBe(401);
    expect(nigar.body.code).toBe('SIGN_IN_FAILED');
  });

  it('lets a viewer list and read, but not replay, resolve, edit, read the audit trail or change access rights', async () => {
    expect((await as('vusal', 'GET', '/v1/admin/failed-messages?errorCode=PARTNER_REPLY_SCHEMA_INVALID')).body.items.map((m: { messageId: string }) => m.messageId)).toContain(apiMessage);
    expect((await as('vusal', 'GET', `/v1/admin/failed-messages/${apiMessage}`)).status).toBe(200);
    const refusals = [
      await as('vusal', 'POST', `/v1/admin/failed-messages/${apiMessage}/replay`, { reason: 'trying' }),
      await as('vusal', 'POST', `/v1/admin/failed-messages/${apiMessage}/resolve`, {}),
      await as('vusal', 'POST', '/v1/admin/failed-messages/replay', { filter: {}, dryRun: true }),
      await as('vusal', 'POST', `/v1/admin/failed-messages/${apiMessage}/edit-and-replay`, { payload: { voen: '1810000029' } }),
      await as('vusal', 'GET', '/v1/admin/audit'),
      await as('vusal', 'POST', '/v1/admin/access-rights/revoke', { client: 'MLSP/benefits', service: 'tax-service/GetTaxpayer' }),
    ];
    for (const refused of refusals) {
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('OPERATOR_FORBIDDEN');
    }
  });

  it('lets an operator replay but not edit a payload, see personal data unmasked, or grant access', async () => {
    const edit = await as('aysel', 'POST', `/v1/admin/failed-messages/${apiMessage}/edit-and-replay`, { payload: { voen: '1810000029' } });
    expect(edit.status).toBe(403);
    expect(edit.body).toMatchObject({ code: 'OPERATOR_FORBIDDEN', required: ['failed-messages:edit'] });
    expect((await as('aysel', 'GET', '/v1/admin/session')).body.permissions).not.toContain('personal-data:unmask');
    expect((await as('rauf', 'GET', '/v1/admin/session')).body.permissions).toContain('personal-data:unmask');
    expect((await as('aysel', 'POST', '/v1/admin/access-rights/grant', { client: 'MLSP/benefits', service: 'tax-service/GetTaxpayer' })).status).toBe(403);
    expect((await as('aysel', 'POST', '/v1/admin/failed-messages/replay', { filter: { fingerprint: '0123456789abcdef' }, dryRun: true })).status).toBe(200);
  });

  it('lets an editor edit and replay under a new id, audited under the editor\'s name with the hashes before and after and the diff', async () => {
    const edit = await as('leyla', 'POST', `/v1/admin/failed-messages/${apiMessage}/edit-and-replay`, { payload: { voen: '1810000031' }, reason: 'typo in the VÖEN' });
    expect(edit.status).toBe(200);
    const copyId: string = edit.body.copy.messageId;
    expect(edit.body.copy.editOf).toBe(apiMessage);
    expect(copyId).not.toBe(apiMessage);
    expect(edit.body.original.editedTo).toBe(copyId);
    const audit = await as('breakglass', 'GET', `/v1/admin/audit?messageId=${apiMessage}&action=edit-replay`);
    expect(audit.body.items).toEqual([
      expect.objectContaining({ operator: 'leyla', action: 'edit-replay', reason: 'typo in the VÖEN', beforeHash: expect.stringMatching(/^[0-9a-f]{64}$/), afterHash: expect.stringMatching(/^[0-9a-f]{64}$/) }),
    ]);
    expect(audit.body.items[0].beforeHash).not.toBe(audit.body.items[0].afterHash);
    expect(JSON.stringify(audit.body.items[0].detail)).toContain(copyId);
    // The original is kept and marked; a second edit of it is refused.
    const again = await as('leyla', 'POST', `/v1/admin/failed-messages/${apiMessage}/edit-and-replay`, { payload: { voen: '1810000032' } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('FAILED_MESSAGE_STATE_CONFLICT');
  });

  it('lets an admin grant and revoke access rights, audited with the right before and after', async () => {
    const change = { client: 'MLSP/disability', service: 'tax-service/GetTaxpayer', reason: 'operators e2e' };
    expect((await as('rauf', 'POST', '/v1/admin/access-rights/grant', change)).status).toBe(200);
    expect((await as('rauf', 'POST', '/v1/admin/access-rights/revoke', change)).status).toBe(200);
    const audit = await as('rauf', 'GET', '/v1/admin/audit?operator=rauf');
    const [revoke, grant] = audit.body.items.filter((entry: { action: string }) => entry.action.endsWith('-access'));
    expect(grant).toMatchObject({ action: 'grant-access', before: null, after: { grantedBy: 'rauf' }, reason: 'operators e2e', detail: { client: change.client } });
    expect(revoke).toMatchObject({ action: 'revoke-access', before: { grantedBy: 'rauf' }, after: { revokedBy: 'rauf' } });
    expect(revoke.before.revokedAt).toBeUndefined();
  });

  it('ends a session on sign-out: its token opens nothing afterwards', async () => {
    const session = await signIn('vusal', directory.password('vusal'));
    const token = session.body.token as string;
    expect((await api(stack, 'DELETE', '/v1/admin/session', undefined, { authorization: `Bearer ${token}` })).status).toBe(204);
    const after = await api(stack, 'GET', '/v1/admin/failed-messages', undefined, { authorization: `Bearer ${token}` });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('OPERATOR_SESSION_ENDED');
    const audit = await as('rauf', 'GET', '/v1/admin/audit?operator=vusal&action=sign-out');
    expect(audit.body.items).toHaveLength(1);
  });

  it('ends a session at its absolute expiry, whichever gateway instance checks it', async () => {
    // A second gateway on the same database with 2-second sessions; the stack's own gateway then checks the token.
    const [port, adminPort] = [await freePort(), await freePort()];
    const shortLived: AppProcess = await startApp(
      'gateway-short-sessions',
      'apps/gateway/src/main.ts',
      { ...kafkaCredentialsEnv('gateway'), ...stack.env, GATEWAY_PORT: String(port), ADMIN_PORT: String(adminPort), INSTANCE_ID: `gateway-short-${process.pid}`, OPERATOR_SESSION_MAX_SECONDS: '2' },
      httpsReady(`https://127.0.0.1:${port}/ready`, TRUST_BUNDLE),
    );
    try {
      const signedIn = await httpsRequest(`https://127.0.0.1:${adminPort}/v1/admin/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'aysel', password: directory.password('aysel') }),
      });
      expect(signedIn.status).toBe(201);
      const { token, expiresAt } = JSON.parse(signedIn.text) as { token: string; expiresAt: string };
      expect((await api(stack, 'GET', '/v1/admin/session', undefined, { authorization: `Bearer ${token}` })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(expiresAt) - Date.now()) + 500));
      const expired = await api(stack, 'GET', '/v1/admin/session', undefined, { authorization: `Bearer ${token}` });
      expect(expired.status).toBe(401);
      expect(expired.body.code).toBe('OPERATOR_SESSION_ENDED');
    } finally {
      await shortLived.stop();
    }
  });

  it('throttles an account after 3 failed sign-ins, even with the right password, and audits the failures and the refusal', async () => {
    for (let i = 0; i < 3; i++) expect((await signIn('vusal', `wrong-${i}`)).body.code).toBe('SIGN_IN_FAILED');
    const locked = await signIn('vusal', directory.password('vusal'));
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ code: 'SIGN_IN_THROTTLED', retryAfterSeconds: expect.any(Number) });
    const failures = await as('rauf', 'GET', '/v1/admin/audit?operator=vusal&action=sign-in-failed');
    expect(failures.body.items.length).toBeGreaterThanOrEqual(3);
    expect(failures.body.items[0].detail).toMatchObject({ reason: 'invalid-credentials', accountFailures: 3, source: expect.any(String) });
    expect((await as('rauf', 'GET', '/v1/admin/audit?operator=vusal&action=sign-in-throttled')).body.items).toHaveLength(1);
  });
});

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function korpu(args: string[], input?: string, env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'apps/cli/bin/korpu.js'), ...args], {
      cwd: workDir,
      env: { PATH: process.env.PATH ?? '', HOME: workDir, KORPU_ADMIN_URL: stack.adminUrl, KORPU_CA_FILE: TRUST_BUNDLE, KORPU_SESSION_FILE: path.join(workDir, 'cli', 'session'), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

describe('the korpu CLI (over the admin API, with the same roles and audit)', () => {
  const sessionFile = () => path.join(workDir, 'cli', 'session');

  it('signs in with a password from stdin and keeps the session token in a file only its owner can read', async () => {
    const result = await korpu(['sign-in', '--user', 'aysel'], `${directory.password('aysel')}\n`);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stderr).toContain('signed in as aysel (operator)');
    expect(fs.statSync(sessionFile()).mode & 0o777).toBe(0o600);
    expect(result.stdout + result.stderr).not.toContain(directory.password('aysel'));
    expect(JSON.parse((await korpu(['whoami', '--json'])).stdout)).toMatchObject({ name: 'aysel', roles: ['operator'] });
  });

  it('lists, shows and replays a failed message as the operator, and the audit trail says so', async () => {
    const list = await korpu(['list', '--error-code', 'PARTNER_REPLY_SCHEMA_INVALID', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).items.map((m: { messageId: string }) => m.messageId)).toContain(cliMessage);
    expect((await korpu(['list', '--error-code', 'PARTNER_REPLY_SCHEMA_INVALID'])).stdout).toMatch(/MESSAGE ID\s+STATUS/);
    const show = await korpu(['show', cliMessage, '--json']);
    expect(JSON.parse(show.stdout)).toMatchObject({ messageId: cliMessage, errorCode: 'PARTNER_REPLY_SCHEMA_INVALID' });
    const replay = await korpu(['replay', cliMessage, '--reason', 'from the CLI']);
    expect(replay).toMatchObject({ code: 0 });
    expect(replay.stdout).toContain(`${cliMessage}: replayed`);
    const audit = await as('rauf', 'GET', `/v1/admin/audit?messageId=${cliMessage}&action=replay`);
    expect(audit.body.items).toEqual([expect.objectContaining({ operator: 'aysel', reason: 'from the CLI' })]);
  });

  it('refuses what the role does not allow, with the API\'s code and exit 1', async () => {
    const grant = await korpu(['access', 'grant', '--client', 'MLSP/benefits', '--service', 'tax-service/GetTaxpayer']);
    expect(grant.code).toBe(1);
    expect(grant.stderr).toContain('OPERATOR_FORBIDDEN (403)');
    expect((await korpu(['audit', 'export'])).stderr).toContain('OPERATOR_FORBIDDEN');
  });

  it('discards with a reason and restores, runs a bulk replay job to completion, and refuses an operator\'s edit', async () => {
    expect((await korpu(['discard', discardMessage])).code).toBe(2);
    const discard = await korpu(['discard', discardMessage, '--reason', 'duplicate of a message already answered']);
    expect(discard).toMatchObject({ code: 0 });
    expect(discard.stdout).toContain(`${discardMessage}: discarded`);
    expect((await korpu(['restore', discardMessage, '--reason', 'not a duplicate after all'])).stdout).toContain(`${discardMessage}: unresolved`);
    const actions = (await as('rauf', 'GET', `/v1/admin/audit?messageId=${discardMessage}`)).body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['discard', 'restore']));

    const preview = JSON.parse((await korpu(['jobs', 'create', jobMessage, '--preview', '--json'])).stdout);
    expect(preview).toMatchObject({ preview: true, matched: 1, partners: [expect.objectContaining({ partner: 'tax-service', count: 1 })] });
    const created = await korpu(['jobs', 'create', jobMessage, '--reason', 'tax service fixed its reply schema', '--json']);
    expect(created.code).toBe(0);
    const jobId = JSON.parse(created.stdout).job.id as string;
    const watched = await korpu(['jobs', 'status', jobId, '--watch']);
    expect(watched.code).toBe(0);
    expect(watched.stdout.trim().split('\n').pop()).toMatch(new RegExp(`^${jobId}: completed, done 1, failed 0, remaining 0`));
    expect((await korpu(['jobs', 'list'])).stdout).toContain(jobId);
    expect((await korpu(['jobs', 'pause', jobId])).stderr).toContain('REPLAY_JOB_STATE_CONFLICT');

    const file = path.join(workDir, 'edited.json');
    fs.writeFileSync(file, JSON.stringify({ voen: '1810000091' }));
    const edit = await korpu(['edit', editMessage, '--payload-file', file]);
    expect(edit.code).toBe(1);
    expect(edit.stderr).toContain('OPERATOR_FORBIDDEN (403)');
  });

  it('as an admin: grants and revokes access and exports the audit trail as CSV and NDJSON', async () => {
    expect((await korpu(['sign-in', '--user', 'rauf'], directory.password('rauf'))).code).toBe(0);
    const sessions = JSON.parse((await korpu(['sessions', 'list', '--json'])).stdout) as Array<{ operator: string; source: string }>;
    expect(sessions).toEqual(expect.arrayContaining([expect.objectContaining({ operator: 'rauf', source: 'directory' })]));
    expect((await korpu(['access', 'revoke', '--client', 'MLSP/disability', '--service', 'tax-service/GetTaxpayer', '--reason', 'cli e2e'])).stdout).toContain('revoked');
    expect((await korpu(['access', 'grant', '--client', 'MLSP/disability', '--service', 'tax-service/GetTaxpayer', '--reason', 'cli e2e'])).stdout).toContain('granted');
    // Personal data masked for the admin too, until a reason is given (the unmasked view is audited).
    expect(JSON.parse(JSON.parse((await korpu(['show', editMessage, '--json'])).stdout).payload)).toEqual({ voen: '********81' });
    const unmasked = await korpu(['show', editMessage, '--json', '--unmask-reason', 'cli e2e: compare with the edit']);
    expect(JSON.parse(JSON.parse(unmasked.stdout).payload)).toEqual({ voen: '1810000081' });
    const file = path.join(workDir, 'edited.json');
    const edit = await korpu(['edit', editMessage, '--payload-file', file, '--reason', 'typo in the VÖEN']);
    expect(edit.code).toBe(0);
    const copyId = /edited and replayed as (\S+) \(editOf (\S+)\)/.exec(edit.stdout);
    expect(copyId?.[2]).toBe(editMessage);
    expect(copyId?.[1]).not.toBe(editMessage);
    const out = path.join(workDir, 'audit.csv');
    expect((await korpu(['audit', 'export', '--format', 'csv', '--operator', 'aysel', '--out', out])).code).toBe(0);
    const csv = fs.readFileSync(out, 'utf8').trim().split('\r\n');
    expect(csv[0]).toBe('seq,at,operator,action,messageIds,reason,before,after,beforeHash,afterHash,detail,prevHash,hash');
    expect(csv.some((line) => line.includes(',aysel,replay,') && line.includes(cliMessage))).toBe(true);
    const ndjson = await korpu(['audit', 'export', '--action', 'grant-access', '--from', new Date(Date.now() - 3600_000).toISOString()]);
    const entries = ndjson.stdout.trim().split('\n').map((line) => JSON.parse(line) as { operator: string; reason: string });
    expect(entries).toEqual(expect.arrayContaining([expect.objectContaining({ operator: 'rauf', reason: 'cli e2e' })]));
  });

  it('signs out: the session ends on the server and the file is gone', async () => {
    const token = (JSON.parse(fs.readFileSync(sessionFile(), 'utf8')) as { token: string }).token;
    expect((await korpu(['sign-out'])).code).toBe(0);
    expect(fs.existsSync(sessionFile())).toBe(false);
    expect((await api(stack, 'GET', '/v1/admin/session', undefined, { authorization: `Bearer ${token}` })).body.code).toBe('OPERATOR_SESSION_ENDED');
  });
});
