/** One operation timed in a loop on this thread: ops/s, p50 and p99 in ms, and the process RSS after it. */
export interface Measured {
  name: string;
  ops: number;
  p50: number;
  p99: number;
  rssMb: number;
}

/** Runs `fn` 20 times to warm up, then back to back for `seconds`, one sample per call. */
export async function measure(name: string, fn: () => unknown, seconds: number): Promise<Measured> {
  for (let i = 0; i < 20; i++) await fn(); // warm-up
  const samples: number[] = [];
  const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  const started = process.hrtime.bigint();
  let now = started;
  while (now < end) {
    const t0 = process.hrtime.bigint();
    await fn();
    now = process.hrtime.bigint();
    samples.push(Number(now - t0) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const q = (p: number): number => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))];
  return {
    name,
    ops: samples.length / (Number(now - started) / 1e9),
    p50: q(0.5),
    p99: q(0.99),
    rssMb: process.memoryUsage().rss / 1024 / 1024,
  };
}
