import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '@korpu/testing';

/** A private copy of contracts/ that a test may change (onboard a partner, tune a retry policy). */
export function copyContracts(): { dir: string; edit: (file: string, change: (json: any) => void) => void; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'korpu-contracts-'));
  fs.cpSync(path.join(repoRoot, 'contracts'), dir, { recursive: true });
  return {
    dir,
    edit: (file, change) => {
      const target = path.join(dir, file);
      const json = JSON.parse(fs.readFileSync(target, 'utf8'));
      change(json);
      fs.writeFileSync(target, JSON.stringify(json, null, 2));
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export async function simulator(url: string | undefined, path: string, body?: unknown): Promise<any> {
  if (!url) throw new Error('simulator not started');
  const response = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.json();
}
