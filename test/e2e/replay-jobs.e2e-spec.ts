import * as fs from 'node:fs';
import { stopAllApps } from '@korpu/testing';
import { fastRetryContracts } from '../support/load';
import { Stack, api, startStack, waitFor } from '../support/stack';

const OPERATOR_TOKEN = 'e2e-jobs-operator-token';
const REPLY_SCHEMA_INVALID = 'PARTNER_REPLY_SCHEMA_INVALID';
let stack: Stack;
let contractsDir: string;

beforeAll(async () => {
  contractsDir = fastRetryContracts();
  stack = await startStack({
    contractsDir,
    env: {
      ADMIN_OPERATORS: `${OPERATOR_TOKEN}=leyla.aliyeva`,
      // The tax service "just recovered": a job sends it 4 messages per second, in batches of 4.
      REPLAY_RATE_PER_PARTNER: 'tax-service=4',
      REPLAY_BATCH_SIZE: '4',
      REPLAY_POLL_MS: '200',
    },
  });
});

afterAll(async () => {
  await stack?.stop();
  await stopAllApps();
  fs.rmSync(contractsDir, { recursive: true, force: true });
});

const admin = (method: string, path: string, body?: unknown) => api(stack, method, path, body, { authorization: `Bearer ${OPERATOR_TOKEN}` });
/** The same admin asking for the unmasked view (personal data and edit diffs), with the reason the audit keeps. */
const adminUnmasked = (method: string, path: string, body?: unknown) =>
  api(stack, method, path, body, { authorization: `Bearer ${OPERATOR_TOKEN}`, 'korpu-unmask-reason': 'replay-jobs e2e: compare the edit' });

async function setFault(fault: Record<string, unknown>): Promise<void> {
  await fetch(`${stack.taxServiceUrl}/_sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
}

const statusOf = async (messageId: string): Promise<string> => (await api(stack, 'GET', `/v1/messages/${messageId}`)).body.status;

/** Submits `count` lookups whose replies break their schema: each is dead-lettered at once. */
async function failMessages(count: number, correlationId: string): Promise<string[]> {
  await setFault({ mode: 'invalid-schema', count });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const submitted = await api(stack, 'POST', '/v1/messages', { service: 'tax-service/GetTaxpayer', correlationId: `${correlationId}-${i}`, payload: { voen: `17${String(i).padStart(7, '0')}1` } });
    expect(submitted.status).toBe(202);
    ids.push(submitted.body.messageId);
  }
  for (const id of ids) {
    await waitFor(`the failed-message record of ${id}`, async () => ((await admin('GET', `/v1/admin/failed-messages?messageId=${id}`)).body.items?.length === 1 ? true : undefined), 60_000);
  }
  return ids;
}

describe('bulk-replay jobs, edit-and-replay, discard and the list at scale (separate processes)', () => {
  it('lists with the new filters and keyset paging, previews a failure group, and replays it as a job at the partner rate, with pause and resume', async () => {
    const ids = await failMessages(10, `job-${Date.now()}`);

    // Keyset paging: three pages of 4 cover the ten, without repeats.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin('GET', `/v1/admin/failed-messages?errorCode=${REPLY_SCHEMA_INVALID}&partner=tax-service&status=unresolved&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((m: { messageId: string }) => m.messageId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect([...seen].sort()).toEqual([...ids].sort());
    const one = await admin('GET', `/v1/admin/failed-messages?messageId=${ids[3]}&messageType=taxpayer-lookup-request&schemaVersion=1`);
    expect(one.body.items.map((m: { messageId: string; partner: string }) => [m.messageId, m.partner])).toEqual([[ids[3], 'tax-service']]);

    const groups = await admin('GET', `/v1/admin/failed-messages/groups?errorCode=${REPLY_SCHEMA_INVALID}&status=unresolved`);
    const fingerprint = groups.body.groups[0].key as string;
    const preview = await admin('POST', '/v1/admin/replay-jobs', { fingerprint, preview: true });
    expect(preview.status).toBe(201);
    expect(preview.body).toMatchObject({ preview: true, matched: 10, partners: [{ partner: 'tax-service', count: 10, ratePerSecond: 4, seconds: 3 }] });

    const created = await admin('POST', '/v1/admin/replay-jobs', { fingerprint, reason: 'tax service fixed its replies' });
    expect(created.status).toBe(201);
    const jobId = created.body.job.id as string;
    expect(created.body).toMatchObject({ job: { state: 'running', total: 10, createdBy: 'leyla.aliyeva' } });
    const paused = await admin('POST', `/v1/admin/replay-jobs/${jobId}/pause`, { reason: 'wait for the partner' });
    expect(paused.body.job.state).toBe('paused');
    const whilePaused = (await admin('GET', `/v1/admin/replay-jobs/${jobId}`)).body;
    expect(whilePaused.done + whilePaused.remaining + whilePaused.skipped).toBe(10);
    expect(whilePaused.remaining).toBeGreaterThan(0); // 4 per second: a batch at most went before the pause

    expect((await admin('POST', `/v1/admin/replay-jobs/${jobId}/resume`, {})).body.job.state).toBe('running');
    const done = await waitFor('the job to complete', async () => {
      const progress = (await admin('GET', `/v1/admin/replay-jobs/${jobId}`)).body;
      return progress.job.state === 'completed' ? progress : undefined;
    }, 60_000);
    expect(done).toMatchObject({ done: 10, failed: 0, skipped: 0, inDoubt: 0, remaining: 0, percent: 100 });
    for (const id of ids) await waitFor(`delivery of ${id}`, async () => ((await statusOf(id)) === 'replied' ? true : undefined), 60_000);
    // Replayed: a new job does not take them again.
    const again = await admin('POST', '/v1/admin/replay-jobs', { ids, preview: true });
    expect(again.body.matched).toBe(0); // they are `replayed`, no longer replayable by a job
    const audit = await admin('GET', '/v1/admin/audit?action=replay-job-pause');
    expect(audit.body.items[0]).toMatchObject({ operator: 'leyla.aliyeva', reason: 'wait for the partner', detail: { jobId } });
  });

  it('cancels a job, releasing the messages it had not sent', async () => {
    const ids = await failMessages(3, `cancel-${Date.now()}`);
    const created = await admin('POST', '/v1/admin/replay-jobs', { ids, reason: 'selection' });
    await admin('POST', `/v1/admin/replay-jobs/${created.body.job.id}/pause`, {});
    const cancelled = await admin('POST', `/v1/admin/replay-jobs/${created.body.job.id}/cancel`, {});
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.job.state).toBe('cancelled');
    expect(cancelled.body.cancelled + cancelled.body.done + cancelled.body.skipped).toBe(3);
    expect(cancelled.body.remaining).toBe(0);
    const preview = await admin('POST', '/v1/admin/replay-jobs', { ids, preview: true });
    expect(preview.body).toMatchObject({ matched: cancelled.body.cancelled, alreadyQueued: 0 });
    expect((await admin('POST', `/v1/admin/replay-jobs/${created.body.job.id}/resume`, {})).status).toBe(409);
  });

  it('edits and replays a message as a new message id linked to the original, which is delivered while the original is kept', async () => {
    const [original] = await failMessages(1, `edit-${Date.now()}`);
    const url = `/v1/admin/failed-messages/${original}`;
    const invalid = await admin('POST', `${url}/edit-and-replay`, { payload: { voen: '12' } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.code).toBe('EDIT_INVALID');

    const edited = await adminUnmasked('POST', `${url}/edit-and-replay`, { payload: { voen: '1400057421' }, reason: 'wrong voen' });
    expect(edited.status).toBe(200);
    const copyId = edited.body.copy.messageId as string;
    expect(copyId).not.toBe(original);
    expect(edited.body.copy).toMatchObject({ editOf: original, diffFormat: 'json-patch', diff: [{ op: 'replace', path: '/voen', value: '1400057421' }] });
    await waitFor('delivery of the copy', async () => ((await statusOf(copyId)) === 'replied' ? true : undefined), 60_000);
    expect(await statusOf(original)).toBe('failed'); // only the copy was sent

    const details = await adminUnmasked('GET', url);
    expect(details.body).toMatchObject({ status: 'resolved', editedTo: copyId, copies: [{ copyId, originalId: original, diffFormat: 'json-patch', operator: 'leyla.aliyeva' }] });
    expect(details.body.payload).toContain('17'); // the original payload is kept as it failed
  });

  it('discards with a reason and restores within the retention period', async () => {
    const [id] = await failMessages(1, `discard-${Date.now()}`);
    const url = `/v1/admin/failed-messages/${id}`;
    expect((await admin('POST', `${url}/discard`, {})).status).toBe(400);
    expect((await admin('POST', `${url}/discard`, { reason: 'duplicate of a phone request' })).body.message).toMatchObject({ status: 'discarded', discardReason: 'duplicate of a phone request' });
    expect((await admin('GET', `/v1/admin/failed-messages?status=discarded&messageId=${id}`)).body.items).toHaveLength(1);
    expect((await admin('POST', `${url}/restore`, { reason: 'needed after all' })).body.message.status).toBe('unresolved');
    const audit = await admin('GET', `/v1/admin/audit?messageId=${id}`);
    expect(audit.body.items.map((e: { action: string }) => e.action).slice(0, 2)).toEqual(['restore', 'discard']);
  });
});
