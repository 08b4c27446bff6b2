import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const script = path.resolve(__dirname, '../deploy/local/postgres.sh');

/**
 * The database `npm start` runs on: a real PostgreSQL server in `.local/` (Debian's package, installed on first
 * use). Embedded PGlite cannot serve several processes (see libs/store/README.md), and every app is its own process.
 */
export function startLocalDatabase(): { url: string; stop: () => void } {
  execFileSync('bash', [path.resolve(__dirname, 'ensure-postgres.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync('bash', [script, 'start'], { stdio: 'inherit' });
  const url = execFileSync('bash', [script, 'url']).toString().trim();
  return { url, stop: () => execFileSync('bash', [script, 'stop'], { stdio: 'inherit' }) };
}
