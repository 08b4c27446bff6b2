/**
 * Open-loop HTTP load at a constant rate, from vegeta (scripts/ensure-vegeta.sh): request i leaves at i / rate
 * seconds whatever the answers before it took (vegeta adds workers and connections as it needs them), so a latency
 * percentile is that of requests arriving evenly at the rate, as "p99 at 200 requests/s" means.
 *
 * Why not autocannon's `overallRate`: it gives each connection its share of the second and lets the connection send it
 * back to back at the top of the second, then waits for the next second. At 200/s over 50 connections that is 50
 * requests at once, four rounds, then nothing: a burst of 50 concurrent requests each second, and the p99 measured is
 * the time to work through the burst (the direct call to the simulator read 55 ms p99 that way on an idle machine).
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HttpLoad, HttpLoadResult } from './http-load';

let vegetaPath: string | undefined;
function vegeta(): string {
  vegetaPath ??= execFileSync('bash', [path.join(__dirname, '../../scripts/ensure-vegeta.sh')], { encoding: 'utf8' }).trim();
  return vegetaPath;
}

/** vegeta's JSON report (latencies in nanoseconds). */
interface VegetaReport {
  latencies: { '50th': number; '99th': number };
  duration: number;
  wait: number;
  requests: number;
  status_codes: Record<string, number>;
}

export type PacedLoad = Omit<HttpLoad, 'connections' | 'amount' | 'onResponse' | 'overallRate'> & { rate: number; seconds: number };

export async function pacedLoad(load: PacedLoad): Promise<HttpLoadResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'korpu-paced-'));
  try {
    const args = ['attack', '-format=json', '-lazy', `-rate=${load.rate}/1s`, `-duration=${load.seconds}s`, `-timeout=${load.timeoutSeconds ?? 30}s`];
    args.push('-http2=false', '-max-body=0', `-output=${path.join(dir, 'results.bin')}`);
    if (load.tls) {
      const file = (name: string, content: Buffer | undefined): string | undefined => {
        if (!content) return undefined;
        writeFileSync(path.join(dir, name), content, { mode: 0o600 });
        return path.join(dir, name);
      };
      const cert = file('client.crt', load.tls.cert);
      const key = file('client.key', load.tls.key);
      const ca = file('ca.crt', load.tls.ca);
      if (cert) args.push(`-cert=${cert}`);
      if (key) args.push(`-key=${key}`);
      if (ca) args.push(`-root-certs=${ca}`);
    }
    const started = process.hrtime.bigint();
    await attack(args, load);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const report = JSON.parse(execFileSync(vegeta(), ['report', '-type=json', path.join(dir, 'results.bin')], { encoding: 'utf8' })) as VegetaReport;
    const statuses = report.status_codes;
    const ok = statuses[String(load.expectStatus)] ?? 0;
    return {
      ok,
      errors: report.requests - ok,
      opsPerSec: ok / ((report.duration + report.wait) / 1e9),
      p50Ms: report.latencies['50th'] / 1e6,
      p99Ms: report.latencies['99th'] / 1e6,
      seconds,
      statuses,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `vegeta attack`, feeding it one JSON target per request (a fresh body each) as fast as it reads them. */
function attack(args: string[], load: PacedLoad): Promise<void> {
  const header = Object.fromEntries(Object.entries(load.headers ?? {}).map(([name, value]) => [name, [value]]));
  const target = (): string =>
    JSON.stringify({ method: load.method ?? 'GET', url: load.url, header, ...(load.body ? { body: Buffer.from(load.body()).toString('base64') } : {}) }) + '\n';
  // A few more targets than the rate and duration need: vegeta ends early when the targets run out.
  const total = Math.ceil(load.rate * load.seconds * 1.05) + 10;
  return new Promise((resolve, reject) => {
    const child = spawn(vegeta(), args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vegeta attack exited with ${code}: ${stderr.slice(0, 500)}`))));
    child.stdin.on('error', () => undefined); // vegeta stops reading once the duration is over
    let sent = 0;
    const feed = (): void => {
      while (sent < total) {
        sent += 1;
        if (!child.stdin.write(target())) {
          child.stdin.once('drain', feed);
          return;
        }
      }
      child.stdin.end();
    };
    feed();
  });
}
