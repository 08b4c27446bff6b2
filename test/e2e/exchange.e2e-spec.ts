import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { repoRoot, stopAllApps } from '@korpu/testing';
import { Stack, api, startStack, waitFor } from '../support/stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ exchangeTimeoutMs: 4000 });
});

afterAll(async () => {
  await stack?.stop();
  await stopAllApps();
});

const taxpayerLookup = (voen: string, extra: Record<string, unknown> = {}) => ({
  service: 'tax-service/GetTaxpayer',
  messageType: 'taxpayer-lookup-request',
  schemaVersion: '1',
  payload: { voen },
  ...extra,
});

async function simulatorStats(): Promise<{ received: number; duplicates: number; unique: number }> {
  return (await fetch(`${stack.taxServiceUrl}/_sim/stats`)).json() as Promise<{ received: number; duplicates: number; unique: number }>;
}

async function setFault(fault: Record<string, unknown>): Promise<void> {
  await fetch(`${stack.taxServiceUrl}/_sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
}

describe('gateway → Kafka → dispatcher → tax service simulator (separate processes)', () => {
  it('answers a synchronous exchange with the partner\'s reply', async () => {
    const response = await api(stack, 'POST', '/v1/exchange', taxpayerLookup('1400057421'));
    expect(response.status).toBe(200);
    expect(response.body.messageType).toBe('taxpayer-lookup-reply');
    expect(response.body.payload).toMatchObject({ voen: '1400057421', taxpayerKind: 'LEGAL_ENTITY', status: 'ACTIVE' });
    const record = await api(stack, 'GET', `/v1/messages/${response.body.messageId}`);
    expect(record.body.status).toBe('replied');
    expect(record.body.history.map((event: { status: string }) => event.status)).toEqual(
      expect.arrayContaining(['accepted', 'dispatched', 'replied']),
    );
  });

  it('accepts an asynchronous submit with 202 and shows its progress until replied', async () => {
    const response = await api(stack, 'POST', '/v1/messages', taxpayerLookup('2900000012'));
    expect(response.status).toBe(202);
    expect(response.headers.get('location')).toBe(`/v1/messages/${response.body.messageId}`);
    const record = await waitFor('the reply', async () => {
      const current = await api(stack, 'GET', `/v1/messages/${response.body.messageId}`);
      return current.body.status === 'replied' ? current.body : undefined;
    });
    expect(JSON.parse(record.reply.payload)).toMatchObject({ voen: '2900000012', taxpayerKind: 'NATURAL_PERSON' });
  });

  it('gives a repeated message id the first result without sending it again', async () => {
    const messageId = `e2e-dup-${Date.now()}`;
    const first = await api(stack, 'POST', '/v1/exchange', taxpayerLookup('1500000011', { messageId }));
    expect(first.status).toBe(200);
    const before = await simulatorStats();
    const second = await api(stack, 'POST', '/v1/exchange', taxpayerLookup('1500000011', { messageId }));
    expect(second.status).toBe(200);
    expect(second.body.replyMessageId).toBe(first.body.replyMessageId);
    expect((await simulatorStats()).received).toBe(before.received);
  });

  it('answers 504 with the message id when the reply is late, and the exchange completes later', async () => {
    // Slower than the gateway's 4 s deadline, faster than the partner timeout of 5 s.
    await setFault({ mode: 'latency', latencyMs: 4600, count: 1 });
    const response = await api(stack, 'POST', '/v1/exchange', taxpayerLookup('1600000011'));
    expect(response.status).toBe(504);
    expect(response.body.code).toBe('REPLY_TIMEOUT');
    expect(response.body.messageId).toMatch(/^[0-9A-Z]{26}$/);
    await waitFor('the late reply', async () => {
      const current = await api(stack, 'GET', `/v1/messages/${response.body.messageId}`);
      return current.body.status === 'replied' ? true : undefined;
    });
  });

  it.each([
    ['malformed JSON', '{"service": ', 400, 'REQUEST_MALFORMED'],
    ['a missing payload', { service: 'tax-service/GetTaxpayer' }, 400, 'REQUEST_INVALID'],
    ['an unknown service', taxpayerLookup('1400057421', { service: 'tax-service/DeleteTaxpayer' }), 404, 'SERVICE_UNKNOWN'],
    ['a payload that breaks its schema', taxpayerLookup('14000574'), 422, 'SCHEMA_VALIDATION_FAILED'],
    ['an unknown schema version', taxpayerLookup('1400057421', { schemaVersion: '9' }), 400, 'SCHEMA_UNKNOWN_VERSION'],
    ['an oversized body', taxpayerLookup('1400057421', { padding: 'x'.repeat(70000) }), 413, 'PAYLOAD_TOO_LARGE'],
  ])('refuses %s with problem+json and a stable code', async (_what, body, status, code) => {
    const response = await api(stack, 'POST', '/v1/messages', body);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.code).toBe(code);
  });

  it('refuses a client without access to the service', async () => {
    const denied = await api(stack, 'POST', '/v1/messages', taxpayerLookup('1400057421'), { 'x-road-client': 'MLSP/disability' });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('ACCESS_DENIED');
  });

  it('reports a partner failure to a synchronous caller at once', async () => {
    const response = await api(stack, 'POST', '/v1/exchange', taxpayerLookup('0001234561'));
    expect(response.status).toBe(502);
    expect(response.body).toMatchObject({ code: 'EXCHANGE_FAILED', cause: 'PARTNER_CLIENT_ERROR' });
  });

  it('serves health, readiness and the OpenAPI document', async () => {
    expect((await api(stack, 'GET', '/health')).status).toBe(200);
    expect((await fetch(`${stack.taxServiceUrl}/health`)).status).toBe(200);
    expect((await fetch(`${stack.taxServiceUrl}/ready`)).status).toBe(200);
    expect((await api(stack, 'GET', '/ready')).body.status).toBe('ready');
    const docs = await api(stack, 'GET', '/docs-json');
    expect(docs.body.paths).toHaveProperty(['/v1/messages']);
    expect(docs.body.paths).toHaveProperty(['/v1/exchange']);
  });

  it('logs the exchange with signatures in a hash chain that the verify command accepts', async () => {
    const response = await api(stack, 'POST', '/v1/exchange', taxpayerLookup('1400000021'));
    expect(response.status).toBe(200);
    const client = new Client({ connectionString: stack.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT event, signature_format, signature_verification, signer_certificate FROM message_log
          WHERE message_id = $1 OR in_reply_to = $1 ORDER BY seq`,
        [response.body.messageId],
      );
      expect(rows.map((row) => row.event)).toEqual(['received', 'sent', 'reply-received']);
      expect(rows[1]).toMatchObject({ signature_format: 'jws', signature_verification: 'signed' });
      expect(rows[2]).toMatchObject({ signature_format: 'jws', signature_verification: 'verified' });
      expect(rows[2].signer_certificate).toContain('BEGIN CERTIFICATE');
    } finally {
      await client.end();
    }
    const verify = await promisify(execFile)(
      process.execPath,
      ['-r', '@swc-node/register', path.join(repoRoot, 'libs/message-log/src/cli/verify-message-log.cli.ts')],
      { cwd: repoRoot, env: { ...process.env, DATABASE_URL: stack.databaseUrl } },
    );
    // Exit 0 (execFile would reject otherwise), with the verdict on stderr.
    expect(verify.stderr).toMatch(/message log intact: \d+ records/);
  });
});
