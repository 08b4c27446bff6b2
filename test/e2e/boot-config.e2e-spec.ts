import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@korpu/testing';

const run = promisify(execFile);

/** Starts an app with a broken environment and returns how it ended. */
async function boot(entry: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  try {
    const result = await run(process.execPath, ['-r', '@swc-node/register', path.join(repoRoot, entry)], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1', ...env },
      timeout: 60000,
    });
    return { code: 0, output: result.stdout + result.stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('configuration is checked once at boot', () => {
  it('stops the gateway with one error naming every bad variable', async () => {
    const result = await boot('apps/gateway/src/main.ts', {
      GATEWAY_PORT: 'eighty',
      EXCHANGE_TIMEOUT_MS: '5',
      DATABASE_URL: 'not a url',
    });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/GATEWAY_PORT must be an integer/);
    expect(result.output).toMatch(/EXCHANGE_TIMEOUT_MS must be an integer from 100/);
    expect(result.output).toMatch(/DATABASE_URL must be a URL/);
  });

  it('stops the dispatcher when a partner contract is invalid, naming the file and field', async () => {
    const result = await boot('apps/dispatcher/src/main.ts', {
      CONTRACTS_DIR: path.join(repoRoot, 'test/fixtures/contracts-invalid'),
      DISPATCHER_PORT: '0',
    });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/broken-partner\/partner\.json: \$\.endpoint\.url is not a URL/);
  });

  it.each(['apps/gateway/src/main.ts', 'apps/dispatcher/src/main.ts', 'apps/partner-endpoint/src/main.ts'])(
    '%s refuses to start in production without data keys, and names a bad key by position without echoing it',
    async (entry) => {
      const withoutKeys = await boot(entry, { NODE_ENV: 'production', DATA_KEYS: '', DATA_ACTIVE_KEY: '' });
      expect(withoutKeys.code).toBe(1);
      expect(withoutKeys.output).toMatch(/DATA_KEYS is required when NODE_ENV=production/);
      const short = 'c2hvcnQta2V5LW5vdC0zMi1ieXRlcw==';
      const badKey = await boot(entry, { DATA_KEYS: `k1=${short}` });
      expect(badKey.code).toBe(1);
      expect(badKey.output).toMatch(/DATA_KEYS entry 1 must be kid=<32 random bytes, base64-encoded>/);
      expect(badKey.output).not.toContain(short);
    },
  );
});
