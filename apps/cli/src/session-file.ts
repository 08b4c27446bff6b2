import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Where `korpu sign-in` keeps the session token: KORPU_SESSION_FILE, else $XDG_CONFIG_HOME/korpu/session. */
export function sessionFilePath(env: NodeJS.ProcessEnv): string {
  if (env.KORPU_SESSION_FILE) return env.KORPU_SESSION_FILE;
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'korpu', 'session');
}

/** Writes the token readable by its owner only (0600, folder 0700), replacing any earlier one atomically. */
export function saveSession(file: string, session: { token: string; url: string; operator: string; expiresAt: string }): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(session)}\n`, { mode: 0o600 });
  fs.chmodSync(temporary, 0o600);
  fs.renameSync(temporary, file);
}

export function loadSession(file: string): { token: string; url: string; operator: string } | undefined {
  try {
    const stat = fs.statSync(file);
    // A token file others can read is not used: it may have been copied.
    if ((stat.mode & 0o077) !== 0) throw new Error(`${file} is readable by others (chmod 600 it, or sign in again)`);
    return JSON.parse(fs.readFileSync(file, 'utf8')) as { token: string; url: string; operator: string };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function removeSession(file: string): void {
  fs.rmSync(file, { force: true });
}
