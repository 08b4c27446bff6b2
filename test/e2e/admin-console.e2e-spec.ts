import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BrowserContext, Page, chromium } from 'playwright-core';
import { startTestDirectory, stopAllApps, writeOperatorAccountsFile } from '@korpu/testing';
import type { TestDirectory } from '@korpu/testing';
import { fastRetryContracts } from '../support/load';
import { closeHttpsAgents, httpsRequest } from '../support/https-client';
import { seedFailedMessages } from '../support/failed-messages';
import { Stack, api, startStack, waitFor } from '../support/stack';

// The admin console in a real browser: Debian's Chromium (scripts/ensure-chromium.sh), driven headless by
// playwright-core, which never downloads a browser of its own here.
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
const OPERATOR_TOKEN = 'e2e-console-operator-token';
const OPERATOR = 'leyla.huseynova';
const OPERATOR_PASSWORD = 'console e2e break-glass password';
/** A viewer in the seeded OpenLDAP directory (deploy/local/slapd.sh): the console signs in against the real directory. */
const VIEWER = 'vusal';
let directory: TestDirectory;
/** Where the screenshots go: the OS temp folder, or docs/images when `npm run docs:screenshots` refreshes the guide's pictures. */
const SCREENSHOTS = process.env.KORPU_SCREENSHOT_DIR ?? os.tmpdir();

let stack: Stack;
let contractsDir: string;
let userDataDir: string;
let context: BrowserContext;
let page: Page;
/** Errors the page itself reported (script errors, CSP violations, failed requests logged to the console). */
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/ensure-chromium.sh`);
  contractsDir = fastRetryContracts();
  // The console signs in with user name and password (here a break-glass account); the test's own API calls use a service token.
  const accounts = await writeOperatorAccountsFile(path.join(contractsDir, 'operator-accounts.json'), [
    { username: OPERATOR, password: OPERATOR_PASSWORD, roles: ['admin'] },
  ]);
  directory = await startTestDirectory();
  stack = await startStack({
    contractsDir,
    env: {
      ADMIN_OPERATORS: `${OPERATOR_TOKEN}=${OPERATOR}`,
      OPERATOR_ACCOUNTS_FILE: accounts,
      ...directory.gatewayEnv('starttls'),
      // The tax service takes replays at 400 a second: a job of 2,000 runs for about five seconds, long enough to pause it.
      REPLAY_RATE_PER_PARTNER: 'tax-service=400',
      REPLAY_POLL_MS: '200',
    },
  });
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'korpu-chromium-'));
  // The admin listener serves HTTPS with the development server certificate, whose CA the browser does not know.
  context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, ignoreHTTPSErrors: true });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15000);
  page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // 4xx answers the console shows on purpose (a rejected edit) are logged by the browser as failed resources.
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) pageErrors.push(`console: ${message.text()}`);
  });
});

afterAll(async () => {
  await context?.close();
  await stack?.stop();
  await stopAllApps();
  await directory?.stop();
  closeHttpsAgents();
  if (contractsDir) fs.rmSync(contractsDir, { recursive: true, force: true });
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

const admin = (method: string, url: string, body?: unknown) => api(stack, method, url, body, { authorization: `Bearer ${OPERATOR_TOKEN}` });

async function setFault(fault: Record<string, unknown>): Promise<void> {
  await fetch(`${stack.taxServiceUrl}/_sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
}

async function deliveryStatus(messageId: string): Promise<string> {
  return (await api(stack, 'GET', `/v1/messages/${messageId}`)).body.status;
}

/** Lookups that fail for good at once (the simulator breaks its reply schema), each stored as a failed message. */
async function failLookups(count: number, correlationPrefix: string): Promise<string[]> {
  await setFault({ mode: 'invalid-schema', count });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const submitted = await api(stack, 'POST', '/v1/messages', { service: 'tax-service/GetTaxpayer', correlationId: `${correlationPrefix}-${i}`, payload: { voen: `16${String(i).padStart(7, '0')}1` } });
    expect(submitted.status).toBe(202);
    ids.push(submitted.body.messageId);
  }
  for (const id of ids) await waitFor(`the failed-message record of ${id}`, async () => ((await admin('GET', `/v1/admin/failed-messages/${id}`)).status === 200 ? true : undefined));
  return ids;
}

/** Opens a failed message as an operator would: the list, any status, searched by its id. */
async function openMessage(id: string): Promise<void> {
  await page.getByRole('link', { name: 'Failed messages', exact: true }).click();
  await page.getByRole('heading', { name: 'Failed messages' }).waitFor();
  await page.getByLabel('Status').selectOption('');
  await page.getByLabel('Message or correlation id').fill(id);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: id }).click();
  await page.getByRole('heading', { name: `Failed message ${id}` }).waitFor();
}

async function saveScreenshot(name: string): Promise<void> {
  const screenshot = path.join(SCREENSHOTS, name);
  await page.screenshot({ path: screenshot, fullPage: true });
  process.stdout.write(`admin console screenshot: ${screenshot}\n`);
}

/** The replay job's progress bar as the page shows it (0–100). */
async function progressValue(): Promise<number> {
  return Number(await page.locator('#job-progress').getAttribute('value'));
}

describe('admin console (headless Chromium against the gateway, dispatcher and tax simulator as processes)', () => {
  let messageId: string;

  it('serves the page on the admin listener with a Content-Security-Policy that forbids inline scripts, and keeps its docs', async () => {
    const response = await httpsRequest(`${stack.adminUrl}/console/`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.text).toContain('<script type="module" src="/console/console.js"></script>');
    // Only the files read at boot are served: no encoded traversal, no sub-folder.
    expect((await httpsRequest(`${stack.adminUrl}/console/..%2Fpackage.json`)).status).toBe(404);
    expect((await httpsRequest(`${stack.adminUrl}/console/static/console.js`)).status).toBe(404);
    // The audit actions the console filters by are written from OperatorAction, not kept in static/.
    const actions = await httpsRequest(`${stack.adminUrl}/console/audit-actions.js`);
    expect(actions.status).toBe(200);
    expect(actions.headers.get('content-type')).toContain('text/javascript');
    expect(actions.text).toContain('"replay-job-pause"');
    expect((await httpsRequest(`${stack.adminUrl}/admin/docs`)).status).toBe(200);
  });

  it('refuses a wrong password with the API\'s reason, then signs in for a session', async () => {
    await page.goto(`${stack.adminUrl}/console/`);
    await page.getByLabel('User name').fill(OPERATOR);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The user name or password is wrong').first().waitFor();
    await page.getByLabel('User name').fill(OPERATOR);
    await page.getByLabel('Password').fill(OPERATOR_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Failed messages' }).waitFor();
    // The token is kept in sessionStorage only (the test's tsconfig has no DOM types: the page's globals by name).
    const stored = await page.evaluate(() => {
      const scope = globalThis as unknown as Record<'sessionStorage' | 'localStorage', { length: number }>;
      return { session: scope.sessionStorage.length, local: scope.localStorage.length };
    });
    expect(stored).toEqual({ session: 1, local: 0 });
  });

  it('finds a dead-lettered message, shows its error code, rejects a bad edit with the schema\'s reasons, and replays it to delivery', async () => {
    await setFault({ mode: 'invalid-schema', count: 1 });
    const submitted = await api(stack, 'POST', '/v1/messages', { service: 'tax-service/GetTaxpayer', correlationId: `case-${Date.now()}`, payload: { voen: '1810000011' } });
    expect(submitted.status).toBe(202);
    messageId = submitted.body.messageId;
    await waitFor('the failed-message record', async () => ((await admin('GET', `/v1/admin/failed-messages/${messageId}`)).status === 200 ? true : undefined));

    await page.getByLabel('Error code').fill('PARTNER_REPLY_SCHEMA_INVALID');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: messageId }).click();
    await page.getByRole('heading', { name: `Failed message ${messageId}` }).waitFor();
    expect(await page.locator('#detail-error-code').textContent()).toBe('PARTNER_REPLY_SCHEMA_INVALID');
    // Personal data (the VÖEN) is masked until the admin states a reason; the unmasked view is audited.
    expect(await page.locator('#payload-original').textContent()).not.toContain('1810000011');
    const unmask = page.getByRole('region', { name: 'Personal data' });
    await unmask.getByLabel(/^Reason/).fill('INC-4711: taxpayer disputes the lookup');
    await unmask.getByRole('button', { name: 'Show personal data' }).click();
    await page.getByText('(personal data shown: audited)').waitFor();
    expect(await page.locator('#payload-original').textContent()).toContain('1810000011');
    const unmasked = await admin('GET', `/v1/admin/audit?messageId=${messageId}&action=unmask`);
    expect(unmasked.body.items).toEqual([expect.objectContaining({ action: 'unmask', reason: 'INC-4711: taxpayer disputes the lookup', messageIds: [messageId] })]);

    // An edit that breaks the request schema: the API's problem is shown as text, markup and all.
    const edit = page.getByRole('region', { name: 'Edit and replay as a new message' });
    await edit.getByLabel(/^Payload/).fill('{"voen": "<b id=\\"injected\\">12</b>"}');
    await edit.getByRole('button', { name: 'Send edited copy' }).click();
    await edit.getByText('EDIT_INVALID').waitFor();
    expect(await page.locator('#injected').count()).toBe(0);

    const replay = page.getByRole('region', { name: 'Replay', exact: true });
    await replay.getByLabel('Reason', { exact: true }).fill('tax service fixed its reply schema');
    await replay.getByRole('button', { name: 'Replay', exact: true }).click();
    await page.getByText(/Replayed .* \(replay /).waitFor();
    await waitFor('delivery after the replay', async () => ((await deliveryStatus(messageId)) === 'replied' ? true : undefined));
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.locator('#detail-delivery', { hasText: 'replied' }).waitFor();
    expect(await page.locator('#detail-status').textContent()).toBe('replayed');
    const screenshot = path.join(SCREENSHOTS, 'korpu-admin-console-message.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    process.stdout.write(`admin console screenshot: ${screenshot}\n`);
  });

  it('revokes and grants back an access right through the console, effective on the next request', async () => {
    const lookup = () =>
      api(stack, 'POST', '/v1/messages', { service: 'tax-service/GetTaxpayer', payload: { voen: '1400057421' } }, { 'x-road-client': 'MLSP/benefits' });
    await page.getByRole('link', { name: 'Access rights' }).click();
    await page.getByRole('heading', { name: 'Access rights' }).waitFor();
    const change = page.getByRole('region', { name: 'Grant or revoke' });
    await change.getByLabel('Client', { exact: true }).fill('MLSP/benefits');
    await change.getByLabel('Service (partner/operation)').fill('tax-service/GetTaxpayer');
    await change.getByLabel('Reason', { exact: true }).fill('data-sharing agreement under review');
    await change.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('Revoked tax-service/GetTaxpayer for MLSP/benefits.').waitFor();
    const row = page.getByRole('row').filter({ hasText: 'MLSP/benefits' }).filter({ hasText: 'tax-service/GetTaxpayer' });
    await row.getByText('revoked', { exact: true }).waitFor();
    expect((await lookup()).status).toBe(403);

    await change.getByLabel('Reason', { exact: true }).fill('agreement renewed');
    await change.getByRole('button', { name: 'Grant' }).click();
    await page.getByText('Granted tax-service/GetTaxpayer for MLSP/benefits.').waitFor();
    await row.getByText('active', { exact: true }).waitFor();
    expect((await lookup()).status).toBe(202);
  });

  it('shows the operator\'s actions in the audit trail', async () => {
    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
    const rows = page.getByRole('row').filter({ hasText: OPERATOR });
    await rows.filter({ hasText: 'revoke-access' }).filter({ hasText: 'data-sharing agreement under review' }).waitFor();
    await rows.filter({ hasText: 'grant-access' }).filter({ hasText: 'agreement renewed' }).waitFor();
    await rows.filter({ hasText: 'replay' }).filter({ hasText: messageId }).filter({ hasText: 'tax service fixed its reply schema' }).waitFor();
    await rows.filter({ hasText: 'view' }).filter({ hasText: messageId }).first().waitFor();
    const screenshot = path.join(SCREENSHOTS, 'korpu-admin-console-audit.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    process.stdout.write(`admin console screenshot: ${screenshot}\n`);
  });

  it('bulk-replays a failure group as a job after a preview, and its progress bar reaches done', async () => {
    await setFault({ mode: 'invalid-schema', count: 6 });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const submitted = await api(stack, 'POST', '/v1/messages', { service: 'tax-service/GetTaxpayer', payload: { voen: `183000${i}001` } });
      ids.push(submitted.body.messageId);
    }
    for (const id of ids) await waitFor(`the failed-message record of ${id}`, async () => ((await admin('GET', `/v1/admin/failed-messages/${id}`)).status === 200 ? true : undefined));
    await page.getByRole('link', { name: 'Failure groups' }).click();
    const group = page.getByRole('row').filter({ hasText: 'PARTNER_REPLY_SCHEMA_INVALID' });
    await group.getByRole('button', { name: 'Bulk replay…' }).click();
    const bulk = page.getByRole('region', { name: /^Bulk replay of group/ });
    await bulk.getByLabel('Reason', { exact: true }).fill('tax service fixed its replies');
    await bulk.getByRole('button', { name: 'Preview' }).click();
    await page.locator('#job-preview', { hasText: '6 message(s) to replay' }).waitFor();
    await bulk.getByRole('button', { name: 'Replay 6 message(s) as a job' }).click();
    await page.locator('#job-progress-text', { hasText: 'completed' }).waitFor({ timeout: 60_000 });
    expect(await page.locator('#job-progress').getAttribute('value')).toBe('100');
    expect(await page.locator('#job-progress-text').textContent()).toContain('6 done');
    const screenshot = path.join(SCREENSHOTS, 'korpu-admin-console-replay-job.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    process.stdout.write(`admin console screenshot: ${screenshot}\n`);
    for (const id of ids) await waitFor(`delivery of ${id}`, async () => ((await deliveryStatus(id)) === 'replied' ? true : undefined));
  });

  it('discards a failed message with a reason, finds it among the discarded, and restores it', async () => {
    const [id] = await failLookups(1, `discard-${Date.now()}`);
    await openMessage(id);
    const discard = page.getByRole('region', { name: 'Discard', exact: true });
    await discard.getByRole('button', { name: 'Discard' }).click();
    // The reason is required: the browser keeps the form until it is given, and nothing changes.
    expect(await page.locator('#detail-status').textContent()).toBe('unresolved');
    await discard.getByLabel('Reason (required)').fill('duplicate of a request made by phone');
    await discard.getByRole('button', { name: 'Discard' }).click();
    await page.getByText('Discarded; it can be restored until the retention purge.').waitFor();
    await page.locator('#detail-status', { hasText: 'discarded' }).waitFor();
    await page.getByText('duplicate of a request made by phone').first().waitFor();

    await page.getByRole('link', { name: 'Failed messages', exact: true }).click();
    await page.getByLabel('Status').selectOption('discarded');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('row').filter({ hasText: id }).filter({ hasText: 'discarded' }).waitFor();
    await page.getByRole('link', { name: id }).click();
    const restore = page.getByRole('region', { name: 'Restore', exact: true });
    await restore.getByLabel('Reason').fill('the phone request never arrived');
    await restore.getByRole('button', { name: 'Restore' }).click();
    await page.getByText('Restored: unresolved again.').waitFor();
    await page.locator('#detail-status', { hasText: 'unresolved' }).waitFor();
    expect((await admin('GET', `/v1/admin/failed-messages/${id}`)).body).toMatchObject({ status: 'unresolved', statusChangedBy: OPERATOR });
  });

  it('edits and replays a message as a new message id linked to the original, and only the copy is delivered', async () => {
    const [original] = await failLookups(1, `edit-${Date.now()}`);
    await openMessage(original);
    const edit = page.getByRole('region', { name: 'Edit and replay as a new message' });
    // The editor starts from the masked payload: sent as it stands, the partner would get the mask, so it is not sent.
    expect(await edit.getByLabel(/^Payload/).inputValue()).toContain('********');
    await edit.getByRole('button', { name: 'Send edited copy' }).click();
    await edit.getByText('The payload still holds masked personal data').waitFor();
    expect((await admin('GET', `/v1/admin/failed-messages/${original}`)).body).toMatchObject({ status: 'unresolved', editedTo: null });
    await edit.getByLabel(/^Payload/).fill('{"voen": "1400057421"}');
    await edit.getByLabel('Reason', { exact: true }).fill('the client sent the VÖEN of the old company');
    await edit.getByRole('button', { name: 'Send edited copy' }).click();
    const sent = page.getByText(/^Sent the edited copy as /);
    await sent.waitFor();
    const [, copyId, editOf] = /as (\S+) \(edit of (\S+)\)/.exec((await sent.textContent()) ?? '') ?? [];
    expect(editOf).toBe(original);
    expect(copyId).toBeTruthy();
    expect(copyId).not.toBe(original);
    // The original is kept, marked, and names its copy, with what changed.
    expect(await page.locator('#detail-edited-to').textContent()).toBe(copyId);
    await page.locator('#detail-status', { hasText: 'resolved' }).waitFor();
    // Superseded by its copy: the original offers neither a replay nor another edit (the API would refuse both).
    for (const name of ['Replay', 'Edit and replay as a new message']) expect(await page.getByRole('region', { name, exact: true }).count()).toBe(0);
    await page.getByRole('heading', { name: `Copy ${copyId}` }).waitFor();
    // The difference holds personal data: masked until an admin states a reason (audited), then shown.
    expect(await page.locator('pre.edit-diff').first().textContent()).not.toContain('1400057421');
    const unmask = page.getByRole('region', { name: 'Personal data' });
    await unmask.getByLabel(/^Reason/).fill('INC-4712: check the corrected VÖEN');
    await unmask.getByRole('button', { name: 'Show personal data' }).click();
    await page.getByText('(personal data shown: audited)').waitFor();
    const diff = (await page.locator('pre.edit-diff').first().textContent()) ?? '';
    expect(JSON.parse(diff)).toEqual([{ op: 'replace', path: '/voen', value: '1400057421' }]);
    expect(await page.locator('#detail-edited-to').textContent()).toBe(copyId);
    await saveScreenshot('korpu-admin-console-edit.png');
    await waitFor('delivery of the copy', async () => ((await deliveryStatus(copyId)) === 'replied' ? true : undefined), 60_000);
    expect(await deliveryStatus(original)).toBe('failed');
  });

  it('bulk-replays a failure group of 2,000 messages as a job, paused and resumed halfway, its progress bar moving to 2,000 done', async () => {
    const started = Date.now();
    const ids = await seedFailedMessages(stack, { code: 'PARTNER_UNAVAILABLE', message: 'tax-service answered 503 for six hours', count: 2000, correlationPrefix: `outage-${started}` });
    process.stdout.write(`seeded ${ids.length} failed messages in ${Date.now() - started} ms\n`);
    await page.getByRole('link', { name: 'Failure groups' }).click();
    const group = page.getByRole('row').filter({ hasText: 'PARTNER_UNAVAILABLE' });
    await group.getByRole('cell', { name: '2000', exact: true }).waitFor();
    await group.getByRole('button', { name: 'Bulk replay…' }).click();
    const bulk = page.getByRole('region', { name: /^Bulk replay of group/ });
    await bulk.getByLabel('Reason', { exact: true }).fill('tax service is back after the outage');
    await bulk.getByRole('button', { name: 'Preview' }).click();
    await page.locator('#job-preview', { hasText: '2000 message(s) to replay' }).waitFor();
    const jobStarted = Date.now();
    await bulk.getByRole('button', { name: 'Replay 2000 message(s) as a job' }).click();

    // Halfway (the bar has moved, the job is not done): pause. The bar then holds still while the state says paused.
    await page.locator('#job-progress-text', { hasText: 'running' }).waitFor();
    await waitFor('the bar to move', async () => ((await progressValue()) > 0 ? true : undefined), 15_000);
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.locator('#job-progress-text', { hasText: 'paused' }).waitFor();
    await page.waitForTimeout(1500); // a batch already claimed before the pause may still finish
    const heldAt = await progressValue();
    const heldText = await page.locator('#job-progress-text').textContent();
    await page.waitForTimeout(2000); // two more polls
    expect(await progressValue()).toBe(heldAt);
    expect(heldAt).toBeGreaterThan(0);
    expect(heldAt).toBeLessThan(100);
    expect(await page.locator('#job-progress-text').textContent()).toBe(heldText);
    expect(heldText).toMatch(/paused — \d+ done, 0 failed, 0 skipped, \d+ remaining$/); // no rate while paused
    await saveScreenshot('korpu-admin-console-replay-job-paused.png');

    await page.getByRole('button', { name: 'Resume' }).click();
    await page.locator('#job-progress-text', { hasText: 'running' }).waitFor();
    const seen = new Set<number>([heldAt]);
    await waitFor(
      'the job to complete in the console',
      async () => {
        seen.add(await progressValue());
        return /completed/.test((await page.locator('#job-progress-text').textContent()) ?? '') ? true : undefined;
      },
      60_000,
    );
    process.stdout.write(`replay job of ${ids.length} completed in ${Date.now() - jobStarted} ms (with the pause); bar values seen: ${[...seen].sort((a, b) => a - b).join(', ')}\n`);
    expect(await progressValue()).toBe(100);
    const text = (await page.locator('#job-progress-text').textContent()) ?? '';
    expect(text).toContain('2000 done, 0 failed, 0 skipped, 0 remaining');
    expect([...seen].filter((value) => value > heldAt && value < 100).length).toBeGreaterThan(0); // it moved after the resume
    await saveScreenshot('korpu-admin-console-replay-job.png');
    const jobId = /^Job (\S+):/.exec(text)?.[1];
    const job = (await admin('GET', `/v1/admin/replay-jobs/${jobId}`)).body;
    expect(job).toMatchObject({ job: { state: 'completed', total: 2000, createdBy: OPERATOR }, done: 2000, failed: 0, remaining: 0 });
    expect((await admin('GET', `/v1/admin/failed-messages?messageId=${ids[1234]}`)).body.items[0].status).toBe('replayed');
  });

  it('exports the audit trail from the console: the file holds the actions just done, hash-chained, and the export is audited', async () => {
    const exportStarted = new Date().toISOString();
    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
    const exportPanel = page.getByRole('region', { name: 'Export' });
    await exportPanel.getByLabel('Format').selectOption('ndjson');
    const [download] = await Promise.all([page.waitForEvent('download'), exportPanel.getByRole('button', { name: 'Download export' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.ndjson$/);
    const lines = fs.readFileSync(await download.path(), 'utf8').trim().split('\n');
    const entries = lines.map((line) => JSON.parse(line) as { seq: number; operator: string; action: string; reason: string | null; messageIds: string[]; detail: Record<string, unknown>; prevHash: string; hash: string });
    const mine = (action: string) => entries.filter((e) => e.operator === OPERATOR && e.action === action);
    expect(mine('discard').map((e) => e.reason)).toContain('duplicate of a request made by phone');
    expect(mine('restore').map((e) => e.reason)).toContain('the phone request never arrived');
    expect(mine('edit-replay').map((e) => e.reason)).toContain('the client sent the VÖEN of the old company');
    expect(mine('replay-job-create').map((e) => e.reason)).toContain('tax service is back after the outage');
    expect(mine('replay-job-pause')).toHaveLength(1);
    expect(mine('replay-job-resume')).toHaveLength(1);
    expect(mine('revoke-access').map((e) => e.reason)).toContain('data-sharing agreement under review');
    // Oldest first, each entry chained to the one before it.
    for (let i = 1; i < entries.length; i++) {
      expect(entries[i].seq).toBeGreaterThan(entries[i - 1].seq);
      expect(entries[i].prevHash).toBe(entries[i - 1].hash);
    }
    await page.getByText(`Downloaded ${download.suggestedFilename()}`).waitFor();
    await page.getByRole('row').filter({ hasText: OPERATOR }).filter({ hasText: 'export-audit' }).first().waitFor();

    // Since just before the export: the export's own entry only.
    await page.getByLabel('From (UTC)').fill(exportStarted);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('region', { name: 'Export' }).getByText(`matching from ${exportStarted}`).waitFor();
    expect(await page.locator('tbody tr').allTextContents()).toEqual([expect.stringMatching(new RegExp(`${OPERATOR}export-audit`))]);
    await page.getByLabel('From (UTC)').fill('');

    // The action filter (its list comes from OperatorAction): one action, as CSV.
    await page.getByLabel('Action').selectOption('replay-job-pause');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('region', { name: 'Export' }).getByText('matching action replay-job-pause').waitFor();
    await page.getByRole('region', { name: 'Export' }).getByLabel('Format').selectOption('csv');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('region', { name: 'Export' }).getByRole('button', { name: 'Download export' }).click()]);
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);
    const rows = fs.readFileSync(await csv.path(), 'utf8').trim().split('\r\n');
    expect(rows[0]).toBe('seq,at,operator,action,messageIds,reason,before,after,beforeHash,afterHash,detail,prevHash,hash');
    expect(rows.slice(1)).toEqual([expect.stringContaining(`,${OPERATOR},replay-job-pause,`)]);
    await saveScreenshot('korpu-admin-console-audit-export.png');
  });

  it('signs a directory viewer in, finds the message by correlation id, and shows it masked with no action', async () => {
    const { correlationId } = (await admin('GET', `/v1/admin/failed-messages/${messageId}`)).body as { correlationId: string };
    expect(correlationId).toMatch(/^case-/);
    await page.locator('#sign-out').click();
    await page.getByLabel('User name').fill(VIEWER);
    await page.getByLabel('Password').fill(directory.password(VIEWER));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Message or correlation id').fill(correlationId);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: messageId }).click();
    await page.getByRole('heading', { name: `Failed message ${messageId}` }).waitFor();
    const payload = (await page.locator('#payload-original').textContent()) ?? '';
    expect(payload).toContain('********11');
    expect(payload).not.toContain('1810000011');
    for (const name of ['Replay', 'Personal data', 'Edit and replay as a new message']) {
      expect(await page.getByRole('region', { name, exact: true }).count()).toBe(0);
    }
    expect(await page.getByRole('button', { name: /Replay|Resolve|Discard|Show personal data|Send edited copy/ }).count()).toBe(0);
    const screenshot = path.join(SCREENSHOTS, 'korpu-admin-console-viewer.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    process.stdout.write(`admin console screenshot: ${screenshot}\n`);
  });

  it('draws the overview per partner from the operational records while load goes on, its figures those of the API', async () => {
    // Load while the page is open: lookups every 50 ms, a fifth of them answered with a broken reply schema (dead letters).
    let sent = 0;
    let loading = true;
    const load = (async () => {
      while (loading) {
        if (sent % 5 === 0) await setFault({ mode: 'invalid-schema', count: 1 });
        await api(stack, 'POST', '/v1/messages', { service: 'tax-service/GetTaxpayer', correlationId: `overview-${sent}`, payload: { voen: '1400057421' } });
        sent += 1;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    try {
      await waitFor('operational records of the load', async () => {
        const summary = await admin('GET', '/v1/admin/operational-records/summary?window=1h&partner=tax-service');
        return summary.body.partners?.[0]?.totals.deadLettered >= 2 && summary.body.partners[0].totals.exchanges >= 20 ? true : undefined;
      });
      await page.getByRole('link', { name: 'Overview' }).click();
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      const tax = page.locator('section.partner[data-partner="tax-service"]');
      await tax.waitFor();
      // Four uPlot charts (exchanges, error rate, p99, dead letters), each drawn on a canvas.
      expect(await tax.locator('figure.chart canvas').count()).toBe(4);
      const text = (await tax.locator('p.figures').textContent()) ?? '';
      const summary = (await admin('GET', '/v1/admin/operational-records/summary?window=1h&partner=tax-service')).body.partners[0].totals;
      const shown = Number(/^(\d+) exchanges/.exec(text)?.[1]);
      // The page read the summary a moment before this test did: under load, at most a few more since.
      expect(shown).toBeGreaterThanOrEqual(20);
      expect(shown).toBeLessThanOrEqual(summary.exchanges);
      expect(text).toMatch(/dead letters [1-9]\d*/);
      expect(text).toMatch(/p99 \d+ ms/);
      await saveScreenshot('korpu-admin-console-overview.png');
      await page.getByRole('link', { name: 'last day' }).click();
      await page.getByText('buckets of 15 min').waitFor();
      await page.locator('section.partner[data-partner="tax-service"] figure.chart canvas').first().waitFor();
      expect(await page.locator('section.partner[data-partner="tax-service"] figure.chart canvas').count()).toBe(4);
    } finally {
      loading = false;
      await load;
    }
  });

  it('reported no script error or Content-Security-Policy violation in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
