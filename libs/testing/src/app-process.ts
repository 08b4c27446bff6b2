import * as fs from 'node:fs';
import * as https from 'node:https';
import { ChildProcess, spawn } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../../..');

/**
 * The ports above the kernel's ephemeral range (Linux: /proc/sys/net/ipv4/ip_local_port_range, 32768–60999 by
 * default), where no outgoing connection takes a local port: a port the OS hands out with listen(0) is in that range,
 * and between our check and the app's bind some process's connection can take it (EADDRINUSE, seen in CI). Null when
 * the range is unknown or leaves fewer than 1,000 ports above it.
 */
function portsAboveEphemeral(): [number, number] | null {
  try {
    const [, upper] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return Number.isInteger(upper) && 65535 - upper >= 1000 ? [upper + 1, 65535] : null;
  } catch {
    return null;
  }
}

const handedOut = new Set<number>();

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free TCP port on 127.0.0.1 for an app to listen on, above the ephemeral range where there is room, never the same twice in a process. */
export async function freePort(): Promise<number> {
  const range = portsAboveEphemeral();
  for (let attempt = 0; range && attempt < 50; attempt += 1) {
    const port = range[0] + Math.floor(Math.random() * (range[1] - range[0] + 1));
    if (handedOut.has(port) || !(await bindable(port))) continue;
    handedOut.add(port);
    return port;
  }
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface AppProcess {
  name: string;
  child: ChildProcess;
  /** Everything the process printed, for assertions and for failure reports. */
  output: () => string;
  /** SIGTERM and wait for exit (graceful). */
  stop: () => Promise<void>;
  /** SIGKILL and wait for exit (crash). */
  kill: () => Promise<void>;
  exited: Promise<number | null>;
}

const running = new Set<AppProcess>();

/**
 * Starts one of Körpü's apps (or a simulator) as a separate process, the way production runs it,
 * and resolves once `ready` says so. Every process started here is stopped by `stopAllApps`.
 */
export async function startApp(
  name: string,
  entry: string,
  env: Record<string, string>,
  ready: (output: string) => boolean | Promise<boolean>,
  timeoutMs = 60000,
): Promise<AppProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(repoRoot, entry)], {
    cwd: repoRoot,
    env: { ...process.env, ...env, NODE_ENV: 'test', FORCE_COLOR: '0', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitExit = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await exited;
  };
  const app: AppProcess = {
    name,
    child,
    output: () => output,
    exited,
    stop: async () => {
      running.delete(app);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
      await waitExit('SIGTERM');
      clearTimeout(timer);
    },
    kill: async () => {
      running.delete(app);
      await waitExit('SIGKILL');
    },
  };
  running.add(app);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before it was ready:\n${output}`);
    if (await ready(output)) return app;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await app.kill();
  throw new Error(`${name} was not ready within ${timeoutMs} ms:\n${output}`);
}

/** Ready when GET url answers 200. */
export function httpReady(url: string): () => Promise<boolean> {
  return async () => {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      return response.status === 200;
    } catch {
      return false;
    }
  };
}

/** Ready when GET url answers 200 over HTTPS, trusting the CA(s) in caFile (no client certificate). */
export function httpsReady(url: string, caFile: string): () => Promise<boolean> {
  const ca = fs.readFileSync(caFile);
  return () =>
    new Promise((resolve) => {
      const request = https.get(url, { ca, timeout: 1000 }, (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      });
      request.on('timeout', () => request.destroy());
      request.on('error', () => resolve(false));
    });
}

export async function stopAllApps(): Promise<void> {
  await Promise.all([...running].map((app) => app.stop()));
}
