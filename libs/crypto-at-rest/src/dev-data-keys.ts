import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface DevKeyFile {
  keys: Record<string, string>;
  active: string;
}

/**
 * Development data keys, generated once into `<dir>/data-keys.json` (mode 0600, under the git-ignored `.local/`)
 * and reused, so what `npm start` encrypted stays readable across restarts. Returns the environment that gives an
 * app those keys; never prints them. Production brings its own DATA_KEYS.
 */
export function ensureDevDataKeys(dir: string): { DATA_KEYS: string; DATA_ACTIVE_KEY: string } {
  const file = path.join(dir, 'data-keys.json');
  let content: DevKeyFile;
  try {
    content = JSON.parse(fs.readFileSync(file, 'utf8')) as DevKeyFile;
  } catch {
    content = { keys: { dev1: randomBytes(32).toString('base64') }, active: 'dev1' };
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Written aside and renamed: two stacks starting at once never read half a file.
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(content, null, 2), { mode: 0o600 });
    try {
      fs.linkSync(temp, file);
    } catch {
      // Another process created it first: use theirs.
      content = JSON.parse(fs.readFileSync(file, 'utf8')) as DevKeyFile;
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }
  return {
    DATA_KEYS: Object.entries(content.keys)
      .map(([kid, key]) => `${kid}=${key}`)
      .join(','),
    DATA_ACTIVE_KEY: content.active,
  };
}
