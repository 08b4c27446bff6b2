import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BrowserContext, Page, chromium } from 'playwright-core';
import { startTestDirectory, stopAllApps, writeOperatorAccountsFile } from '@korpu/testing';
import type { TestDirectory } from '@korpu/testing';
import { fastRetryContracts } from '../support/load';
import { closeHttpsAgents, httpsRequest } from '../support/https-client';
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
    env: { ADMIN_OPERATORS: `${OPERATOR_TOKEN}=${OPERATOR}`, OPERATOR_ACCOUNTS_FILE: accounts, ...directory.gatewayEnv('starttls') },
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

  it('reported no script error or Content-Security-Policy violation in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
