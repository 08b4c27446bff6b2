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
import { quantile } from './cases';
import { HttpLoad, HttpLoadResult } from './http-load';

let vegetaPath: string | undefined;
function vegeta(): string {
  vegetaPath ??= execFileSync('bash', [path.join(__dirname, '../../scripts/ensure-vegeta.sh')], { encoding: 'utf8' }).trim();
  return vegetaPath;
}

export type PacedLoad = Omit<HttpLoad, 'connections' | 'amount' | 'onResponse' | 'overallRate'> & {
  rate: number;
  seconds: number;
  /**
   * Seconds at the rate before the measured ones, in the same attack: the same connections and workers go on into
   * the measurement. A separate warm-up run would end with its connections, and the measured run would open its own
   * (a TLS handshake each, vegeta adding workers while they are slow) in its first seconds.
   */
  warmupSeconds?: number;
  /** Told when the measured seconds begin (after the warm-up) and when the last of their answers is in. */
  window?: { start(): void; stop(): void };
};

/** One request's outcome from `vegeta encode -to csv`: when it left (ns since the epoch), its status, its latency (ns). */
export interface Sent {
  at: bigint;
  status: number;
  latencyNs: number;
}

export async function pacedLoad(load: PacedLoad): Promise<HttpLoadResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'korpu-paced-'));
  const warmup = load.warmupSeconds ?? 0;
  try {
    const results = path.join(dir, 'results.bin');
    const args = ['attack', '-format=json', '-lazy', `-rate=${load.rate}/1s`, `-duration=${warmup + load.seconds}s`, `-timeout=${load.timeoutSeconds ?? 30}s`];
    args.push('-http2=false', '-max-body=0', `-output=${results}`);
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
    let measuring: bigint | undefined;
    const startWindow = (): void => {
      measuring = process.hrtime.bigint();
      load.window?.start();
    };
    const timer = warmup > 0 ? setTimeout(startWindow, warmup * 1000) : undefined;
    if (!timer) startWindow();
    try {
      await attack(args, { ...load, seconds: warmup + load.seconds });
    } finally {
      clearTimeout(timer);
      if (measuring === undefined) startWindow();
      load.window?.stop();
    }
    const seconds = Number(process.hrtime.bigint() - (measuring ?? started)) / 1e9;
    const sent = readResults(results);
    const first = sent.reduce((min, s) => (s.at < min ? s.at : min), sent[0]?.at ?? 0n);
    const measured = sent.filter((s) => s.at >= first + BigInt(Math.round(warmup * 1e9)));
    return summarise(measured, load.expectStatus, seconds);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readResults(file: string): Sent[] {
  const csv = execFileSync(vegeta(), ['encode', '-to', 'csv', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const sent: Sent[] = [];
  for (const line of csv.split('\n')) {
    if (!line) continue;
    const [at, status, latency] = line.split(',', 3);
    sent.push({ at: BigInt(at), status: Number(status), latencyNs: Number(latency) });
  }
  return sent;
}

/**
 * The measured requests' figures: latency quantiles over every request (errors included, as vegeta's own
 * report counts them); the rate is the successes over the time from the first measured request to its last answer.
 */
export function summarise(sent: readonly Sent[], expectStatus: number, seconds: number): HttpLoadResult {
  const statuses: Record<string, number> = {};
  for (const s of sent) statuses[String(s.status)] = (statuses[String(s.status)] ?? 0) + 1;
  const ok = statuses[String(expectStatus)] ?? 0;
  // The latency of the answers that were the expected one: a refusal answered at once (an overload guard's 503)
  // must not pull the quantiles down; the refusals are the errors and their statuses.
  const latencies = sent.filter((s) => s.status === expectStatus).map((s) => s.latencyNs / 1e6).sort((a, b) => a - b);
  let span = 0;
  if (sent.length) {
    const first = sent.reduce((min, s) => (s.at < min ? s.at : min), sent[0].at);
    const end = sent.reduce((max, s) => (s.at + BigInt(s.latencyNs) > max ? s.at + BigInt(s.latencyNs) : max), 0n);
    span = Number(end - first) / 1e9;
  }
  return { ok, errors: sent.length - ok, opsPerSec: span > 0 ? ok / span : 0, p50Ms: quantile(latencies, 0.5), p99Ms: quantile(latencies, 0.99), seconds, statuses };
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
