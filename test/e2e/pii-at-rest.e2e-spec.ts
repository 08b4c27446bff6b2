import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { DataKeys, readDataKeys } from '@korpu/crypto-at-rest';
import { EnvReader } from '@korpu/config';
import { REPLY_PAYLOAD_PURPOSE } from '@korpu/tracking';
import { repoRoot, stopAllApps } from '@korpu/testing';
import { simulator } from '../support/contracts';
import { Stack, api, startStack, waitFor } from '../support/stack';

/**
 * Personal data at rest: after real exchanges through gateway → Kafka → dispatcher → population registry (separate
 * processes, the stack's development data keys), the PostgreSQL columns that keep it hold no plain FIN, name or
 * address, while the API still answers with them.
 */
const OPERATOR_TOKEN = 'e2e-pii-operator';
let stack: Stack;
let db: Client;

beforeAll(async () => {
  stack = await startStack({ exchangeTimeoutMs: 8000, simulators: ['population-registry'], env: { ADMIN_OPERATORS: `${OPERATOR_TOKEN}=aysel.mammadova` } });
  db = new Client({ connectionString: stack.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await stack?.stop();
  await stopAllApps();
});

const registry = (path: string, body?: unknown) => simulator(stack.simulatorUrls['population-registry'], path, body);

const getPerson = (fin: string) => ({
  service: 'population-registry/GetPerson',
  messageType: 'person-lookup-request',
  schemaVersion: '1',
  payload: `<GetPersonRequest xmlns="urn:korpu:population:person"><Fin>${fin}</Fin></GetPersonRequest>`,
});

async function rawColumn(sql: string, messageId: string): Promise<string> {
  const { rows } = await db.query<{ value: string | null }>(sql, [messageId]);
  expect(rows).toHaveLength(1);
  return rows[0].value ?? '';
}

describe('personal data is encrypted at rest, on by default', () => {
  it('keeps a partner reply in messages.reply_payload encrypted, and the API reads it back', async () => {
    await registry('/_sim/faults', { mode: 'none' });
    const response = await api(stack, 'POST', '/v1/exchange', getPerson('7QRS456'));
    expect(response.status).toBe(200);
    const reply = String(response.body.payload);
    const surname = /<Surname>([^<]+)<\/Surname>/.exec(reply)?.[1];
    expect(reply).toContain('<Fin>7QRS456</Fin>');
    expect(surname).toBeTruthy();

    const stored = await rawColumn(`SELECT reply_payload AS value FROM messages WHERE message_id = $1`, response.body.messageId);
    expect(stored).toMatch(/^korpu-sealed:[A-Za-z0-9_.-]+:v1\./);
    expect(stored).not.toContain('7QRS456');
    expect(stored).not.toContain(surname!);
    expect(stored).not.toContain('Yasamal');

    const record = await api(stack, 'GET', `/v1/messages/${response.body.messageId}`);
    expect(record.body.reply.payload).toBe(reply);

    // The message log keeps its payloads under the same keys.
    const { rows } = await db.query<{ payload: string | null; payload_key_id: string | null }>(
      `SELECT payload, payload_key_id FROM message_log WHERE message_id = $1 OR in_reply_to = $1`,
      [response.body.messageId],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows.filter((r) => r.payload !== null)) {
      expect(row.payload_key_id).toBeTruthy();
      expect(row.payload).not.toContain('7QRS456');
    }
  });

  it('keeps a dead-lettered request in failed_messages.payload encrypted, and the admin API reads it back', async () => {
    await registry('/_sim/faults', { mode: 'invalid-schema', count: 1 });
    const submitted = await api(stack, 'POST', '/v1/messages', getPerson('8TUV789'));
    expect(submitted.status).toBe(202);
    const messageId = submitted.body.messageId as string;
    const failed = await waitFor('the failed-message record', async () => {
      const current = await api(stack, 'GET', `/v1/admin/failed-messages/${messageId}`, undefined, {
        authorization: `Bearer ${OPERATOR_TOKEN}`,
        'korpu-unmask-reason': 'pii-at-rest e2e: read the sealed payload back',
      });
      return current.status === 200 ? current.body : undefined;
    });
    expect(JSON.stringify(failed)).toContain('8TUV789');

    const stored = await rawColumn(`SELECT payload AS value FROM failed_messages WHERE message_id = $1`, messageId);
    expect(stored).toMatch(/^korpu-sealed:[A-Za-z0-9_.-]+:v1\./);
    expect(stored).not.toContain('8TUV789');
  });

  it('re-encrypts under a new active key with the old one still listed; apps without the new key then say which key is missing', async () => {
    await registry('/_sim/faults', { mode: 'none' });
    const response = await api(stack, 'POST', '/v1/exchange', getPerson('9WXY012'));
    expect(response.status).toBe(200);
    const messageId = response.body.messageId as string;
    const rotatedEnv = { DATA_KEYS: `${stack.env.DATA_KEYS},e2e-rotated=${randomBytes(32).toString('base64')}`, DATA_ACTIVE_KEY: 'e2e-rotated' };
    const run = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', path.join(repoRoot, 'scripts/reencrypt-data.ts')], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: stack.databaseUrl, ...rotatedEnv },
    });
    expect(run.stderr).toMatch(/re-encrypted under "e2e-rotated": [1-9]\d* replies, [1-9]\d* failed messages/);
    expect(run.stderr).not.toContain(rotatedEnv.DATA_KEYS.split(',')[0].split('=')[1]);

    const stored = await rawColumn(`SELECT reply_payload AS value FROM messages WHERE message_id = $1`, messageId);
    expect(stored.startsWith('korpu-sealed:e2e-rotated:v1.')).toBe(true);
    expect(stored).not.toContain('9WXY012');
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM messages WHERE reply_payload IS NOT NULL AND NOT starts_with(reply_payload, 'korpu-sealed:e2e-rotated:')`);
    expect(rows[0].n).toBe(0);
    const rotated = new DataKeys(readDataKeys(new EnvReader(rotatedEnv))).column(REPLY_PAYLOAD_PURPOSE);
    expect(rotated.open(stored, messageId)).toBe(response.body.payload);

    // The running apps were not given the new key: reading is refused with the stable code and the missing key id.
    const record = await api(stack, 'GET', `/v1/messages/${messageId}`);
    expect(record.status).toBe(500);
    expect(JSON.stringify(record.body)).not.toContain('9WXY012');
    expect(record.body).toMatchObject({ code: 'DATA_KEY_NOT_FOUND', kid: 'e2e-rotated' });
  });
});
