/**
 * RSS and CPU of the bench's processes, from /proc: CPU % per case (100 % = one core) and peak RSS, and RSS samples
 * across a soak (first / last / max after warm-up).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

export interface Watched {
  name: string;
  pid: () => number | undefined;
  /** Count live children's CPU too (PostgreSQL: one backend per connection). */
  withChildren?: boolean;
}

function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
  } catch {
    return undefined;
  }
}

/** CPU seconds used so far: utime + stime (+ reaped children's, + live children's when asked). */
function cpuSeconds(pid: number, withChildren: boolean): number {
  const f = statFields(pid);
  if (!f) return 0;
  // f[0] is field 3; utime=14, stime=15, cutime=16, cstime=17
  let ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  if (withChildren) {
    for (const entry of readdirSafe('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const c = statFields(Number(entry));
      if (c && Number(c[1]) === pid) ticks += Number(c[11]) + Number(c[12]);
    }
  }
  return ticks / CLK_TCK;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export function rssMb(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export function pidFromFile(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0].trim());
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Told when a case's window opens and closes (e.g. per-statement database counters of the same window). */
export interface CaseObserver {
  begin(label: string): void;
  end(label: string, seconds: number): void;
}

export class ProcessMonitor {
  /** name → case → { cpu %, peak RSS MB } */
  readonly byCase = new Map<string, Map<string, { cpu: number; peakRss?: number }>>();
  readonly idleRss = new Map<string, number | undefined>();
  readonly cases: string[] = [];

  constructor(
    private readonly watched: Watched[],
    private readonly observers: CaseObserver[] = [],
  ) {}

  snapshotIdle(): void {
    for (const w of this.watched) this.idleRss.set(w.name, this.rss(w));
  }

  private rss(w: Watched): number | undefined {
    if (w.name === 'bench (load generator)') return process.memoryUsage().rss / 1024 / 1024;
    const pid = w.pid();
    return pid ? rssMb(pid) : undefined;
  }

  private cpu(w: Watched): number {
    if (w.name === 'bench (load generator)') {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1e6;
    }
    const pid = w.pid();
    return pid ? cpuSeconds(pid, w.withChildren ?? false) : 0;
  }

  /** Runs `fn` while sampling RSS every 250 ms; records CPU % over the whole call under `label`. */
  async during<T>(label: string, fn: () => Promise<T>): Promise<T> {
    const end = this.begin(label);
    try {
      return await fn();
    } finally {
      end();
    }
  }

  /**
   * As `during`, for a window that opens and closes inside a call (a paced load's measured seconds after its warm-up):
   * `onStart` is told when it opens, the case is recorded when it closes.
   */
  window(label: string, onStart?: () => void): { start(): void; stop(): void } {
    let end: (() => void) | undefined;
    return {
      start: () => {
        onStart?.();
        end = this.begin(label);
      },
      stop: () => end?.(),
    };
  }

  private begin(label: string): () => void {
    this.cases.push(label);
    this.observers.forEach((o) => o.begin(label));
    const before = this.watched.map((w) => this.cpu(w));
    const peaks = this.watched.map((w) => this.rss(w));
    const sample = (): void =>
      this.watched.forEach((w, i) => {
        const r = this.rss(w);
        if (r !== undefined) peaks[i] = Math.max(peaks[i] ?? 0, r);
      });
    const timer = setInterval(sample, 250);
    const started = process.hrtime.bigint();
    return () => {
      clearInterval(timer);
      sample();
      const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
      this.observers.forEach((o) => o.end(label, elapsed));
      this.watched.forEach((w, i) => {
        const perCase = this.byCase.get(w.name) ?? new Map<string, { cpu: number; peakRss?: number }>();
        perCase.set(label, { cpu: (100 * (this.cpu(w) - before[i])) / elapsed, peakRss: peaks[i] });
        this.byCase.set(w.name, perCase);
      });
    };
  }

  /** CPU % per case (rows) and process (columns), and each process's peak RSS, as a markdown table. */
  markdown(): string {
    const f = (n: number | undefined): string => (n === undefined || Number.isNaN(n) ? '–' : n.toFixed(0));
    const peak = (name: string): number | undefined => {
      const values = [...(this.byCase.get(name)?.values() ?? [])].map((v) => v.peakRss ?? 0);
      const max = Math.max(0, ...values);
      return max || undefined;
    };
    return [
      `| case (CPU %, 100 = one core) | ${this.watched.map((w) => w.name).join(' | ')} |`,
      `|---|${this.watched.map(() => '---:').join('|')}|`,
      ...this.cases.map((c) => `| ${c} | ${this.watched.map((w) => f(this.byCase.get(w.name)?.get(c)?.cpu)).join(' | ')} |`),
      `| peak RSS MB | ${this.watched.map((w) => (w.withChildren ? '–' : f(peak(w.name)))).join(' | ')} |`,
    ].join('\n');
  }

  /**
   * CPU time per message (ms, 1 = one millisecond of one core) of each process and of all of them, for the cases whose
   * rate `opsPerSec(label)` knows: what each message costs where, and how that grows with size and topics.
   */
  costMarkdown(opsPerSec: (label: string) => number | undefined): string {
    const rows = this.cases.flatMap((c) => {
      const ops = opsPerSec(c);
      if (!ops || !Number.isFinite(ops)) return [];
      const ms = this.watched.map((w) => (this.byCase.get(w.name)?.get(c)?.cpu ?? 0) * 10 / ops); // CPU % → ms/s, per op
      const total = ms.reduce((a, b) => a + b, 0);
      return [`| ${c} | ${ms.map((m) => m.toFixed(2)).join(' | ')} | ${total.toFixed(2)} |`];
    });
    if (!rows.length) return '';
    return [
      `| case (CPU ms per message) | ${this.watched.map((w) => w.name).join(' | ')} | all |`,
      `|---|${this.watched.map(() => '---:').join('|')}|---:|`,
      ...rows,
    ].join('\n');
  }

  print(): void {
    const f = (n: number | undefined, d = 0): string => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(d));
    console.log(`\nprocesses: RSS MB (idle after start / peak during the bench), CPU % per case (100 % = one core)`);
    console.log(
      `${'process'.padEnd(26)} | ${'idle'.padStart(5)} ${'peak'.padStart(5)} | ${this.cases.map((c) => c.padStart(9)).join(' ')}`,
    );
    console.log('-'.repeat(42 + this.cases.length * 10));
    for (const w of this.watched) {
      const perCase = this.byCase.get(w.name);
      const peak = Math.max(...[...(perCase?.values() ?? [])].map((v) => v.peakRss ?? 0));
      const rssCells = w.withChildren
        ? `${'-'.padStart(5)} ${'-'.padStart(5)}`
        : `${f(this.idleRss.get(w.name)).padStart(5)} ${f(peak || undefined).padStart(5)}`;
      console.log(
        `${w.name.padEnd(26)} | ${rssCells} | ${this.cases.map((c) => f(perCase?.get(c)?.cpu).padStart(9)).join(' ')}`,
      );
    }
  }
}

export interface RssSoak {
  name: string;
  firstMb: number;
  lastMb: number;
  maxMb: number;
  /** The highest RSS of each quarter of the soak after its warm-up, in order. */
  quartersMb: number[];
  /** Highest of the last quarter against the highest of the first, in %. */
  growthPercent: number;
  flat: boolean;
}

/**
 * The verdict on one process's RSS samples (in order, one every few hundred ms) over a soak: the first
 * `warmupFraction` left out (start-up, JIT, pools filling), the rest cut in quarters. Flat when the highest RSS of the
 * last quarter is within 10 % of the highest of the first: a leak raises each quarter's high mark, while a garbage
 * collector's saw-tooth moves single samples only, and memory handed back (a process idle once its part of the
 * load is done) is not growth.
 */
export function rssVerdict(name: string, all: number[], warmupFraction = 0.1): RssSoak {
  const after = all.slice(Math.min(all.length - 1, Math.floor(all.length * warmupFraction)));
  const quarter = Math.max(1, Math.floor(after.length / 4));
  const quartersMb = [0, 1, 2, 3].map((q) => {
    const part = after.slice(q * quarter, q === 3 ? after.length : (q + 1) * quarter);
    return part.length > 0 ? Math.max(...part) : NaN;
  });
  const first = quartersMb.find((v) => !Number.isNaN(v)) ?? NaN;
  const last = [...quartersMb].reverse().find((v) => !Number.isNaN(v)) ?? NaN;
  const growthPercent = (100 * (last - first)) / first;
  return {
    name,
    firstMb: after[0] ?? NaN,
    lastMb: after[after.length - 1] ?? NaN,
    maxMb: Math.max(...after),
    quartersMb,
    growthPercent,
    flat: growthPercent <= 10,
  };
}

/**
 * Samples the RSS of each process every `intervalMs` until `stop()`, then gives each its verdict (rssVerdict).
 */
export function sampleRss(processes: Watched[], intervalMs = 500, warmupFraction = 0.1): { stop: () => RssSoak[] } {
  const samples = processes.map(() => [] as number[]);
  const take = (): void =>
    processes.forEach((w, i) => {
      const pid = w.pid();
      const rss = pid ? rssMb(pid) : undefined;
      if (rss !== undefined) samples[i].push(rss);
    });
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      take();
      return processes.map((w, i) => rssVerdict(w.name, samples[i], warmupFraction));
    },
  };
}
