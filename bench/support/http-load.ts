/**
 * HTTP load from autocannon (programmatic API): closed-loop (N connections, as fast as they are answered) or
 * fixed-rate (`overallRate` requests/s across the connections, latency corrected for coordinated omission), for a
 * duration or a number of requests, each request's body made fresh by `body()` when given.
 */
import autocannon from 'autocannon';
import { BenchCase } from './cases';

export interface HttpLoad {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A new body per request (unique ids); called in the load generator. */
  body?: () => string;
  connections: number;
  /** Seconds of load, or `amount` requests. */
  seconds?: number;
  amount?: number;
  /** Fixed rate in requests/s across all connections (open loop); closed loop when absent. */
  overallRate?: number;
  /** The status that counts as success. */
  expectStatus: number;
  /** TLS client certificate, key and CA (https:// URLs). */
  tls?: { cert?: Buffer; key?: Buffer; ca?: Buffer };
  /** Called with each answer's status and body (e.g. to collect accepted message ids). */
  onResponse?: (status: number, body: string) => void;
  timeoutSeconds?: number;
}

export interface HttpLoadResult {
  ok: number;
  errors: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  seconds: number;
  statuses: Record<string, number>;
}

export async function httpLoad(load: HttpLoad): Promise<HttpLoadResult> {
  const url = new URL(load.url);
  const statuses: Record<string, number> = {};
  let ok = 0;
  const started = process.hrtime.bigint();
  const result = await autocannon({
    url: url.origin,
    connections: load.connections,
    ...(load.amount ? { amount: load.amount } : { duration: load.seconds ?? 10 }),
    ...(load.overallRate ? { overallRate: load.overallRate } : {}),
    timeout: load.timeoutSeconds ?? 30,
    ...(load.tls ? { tlsOptions: load.tls } : {}),
    requests: [
      {
        method: load.method ?? 'GET',
        path: `${url.pathname}${url.search}`,
        headers: load.headers,
        ...(load.body
          ? {
              setupRequest: (request: autocannon.Request) => ({ ...request, body: load.body!() }),
            }
          : {}),
        onResponse: (status: number, body: string) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status === load.expectStatus) ok += 1;
          load.onResponse?.(status, body);
        },
      },
    ],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const failures = result.errors + Object.entries(statuses).reduce((n, [s, count]) => (Number(s) === load.expectStatus ? n : n + count), 0);
  return {
    ok,
    errors: failures,
    opsPerSec: ok / (load.amount ? seconds : result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    seconds,
    statuses,
  };
}

/** A BenchCase from a load result, printed as one line. */
export function loadCase(name: string, r: HttpLoadResult, extra: Partial<BenchCase> = {}): BenchCase {
  const c: BenchCase = { name, opsPerSec: r.opsPerSec, p50Ms: r.p50Ms, p99Ms: r.p99Ms, errors: r.errors, ...extra };
  const other = Object.entries(r.statuses).filter(([s]) => s !== '200' && s !== '202');
  console.log(
    `  ${name.padEnd(34)} ${c.opsPerSec.toFixed(0).padStart(7)}/s   p50 ${c.p50Ms.toFixed(1).padStart(6)} ms   p99 ${c.p99Ms.toFixed(1).padStart(7)} ms` +
      `${c.errors ? `   ${c.errors} errors${other.length ? ` (${other.map(([s, n]) => `${n}× ${s}`).join(', ')})` : ''}` : ''}${c.note ? `   ${c.note}` : ''}`,
  );
  return c;
}
