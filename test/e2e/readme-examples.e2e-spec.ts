import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, stopAllApps } from '@korpu/testing';
import { closeHttpsAgents } from '../support/https-client';
import { Stack, startStack } from '../support/stack';

/**
 * The README's "Try it" examples, run as printed with curl (only the addresses are this stack's): they use the
 * development certificates, and the one without a certificate is refused.
 */
const run = promisify(execFile);
let stack: Stack;

function readmeExamples(): string[] {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Try it'), readme.indexOf('## What runs'));
  return [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => match[1].replace(/\\\n\s*/g, ' ').trim());
}

beforeAll(async () => {
  stack = await startStack({ simulators: ['tax-service', 'population-registry', 'ministry-subsystem', 'egov-portal'], partnerEndpoint: true });
});

afterAll(async () => {
  await stack?.stop();
  await stopAllApps();
  closeHttpsAgents();
});

describe('README examples', () => {
  it('work as printed with the development certificates, and without a certificate are refused', async () => {
    const [setup, ...examples] = readmeExamples();
    expect(setup).toMatch(/^# .*\nPENSIONS=/);
    const answers: Array<{ status: number; body: any }> = [];
    let messageId = '';
    for (const example of examples) {
      const command = example
        .replace(/https:\/\/127\.0\.0\.1:8080/g, stack.gatewayUrl)
        .replace(/http:\/\/127\.0\.0\.1:7104/g, stack.simulatorUrls['egov-portal'] as string)
        .replace('<messageId>', messageId)
        .replace(/^curl -s /, `curl -s -w '\\n%{http_code}' `);
      const { stdout } = await run('bash', ['-c', `${setup}\n${command}`], { cwd: repoRoot, timeout: 30000 });
      const lines = stdout.trimEnd().split('\n');
      const status = Number(lines.pop());
      const text = lines.join('\n');
      const body = text.startsWith('{') ? JSON.parse(text) : text;
      answers.push({ status, body });
      if (status === 202) messageId = body.messageId;
    }
    expect(answers.map((a) => a.status)).toEqual([200, 202, 200, 200, 200, 422, 401]);
    const [exchange, submit, status, soap, inbound, bad, unauthenticated] = answers;
    expect(exchange.body).toMatchObject({ messageType: 'taxpayer-lookup-reply', payload: { voen: '1400057421' } });
    expect(submit.body).toMatchObject({ status: 'accepted', messageId: expect.any(String) });
    expect(status.body).toMatchObject({ messageId: submit.body.messageId, client: 'MLSP/pensions' });
    expect(soap.body.payload).toContain('5ZXK2P7');
    expect(JSON.stringify(inbound.body)).toContain('5ZXK2P7');
    expect(bad.body.code).toBe('SCHEMA_VALIDATION_FAILED');
    expect(unauthenticated.body.code).toBe('CLIENT_UNAUTHENTICATED');
  });
});
