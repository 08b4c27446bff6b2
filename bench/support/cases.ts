/**
 * One figure of a bench, as `npm run bench` writes it to bench/results/latest.json. A bench file reports its cases
 * with `reportCases`: when run by bench/run-all.ts (BENCH_CASES_FILE set) they are appended there as JSON lines;
 * run alone, the bench only prints.
 */
import { appendFileSync } from 'node:fs';

export interface BenchCase {
  name: string;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** Name of the case this one is compared with (measured in the same run); `ratio` = opsPerSec / its opsPerSec. */
  baseline?: string;
  ratio?: number;
  /** What else a reader needs: payload size, client, target, first error. */
  note?: string;
}

export function reportCases(cases: BenchCase[]): void {
  const file = process.env.BENCH_CASES_FILE;
  if (!file) return;
  for (const c of cases) appendFileSync(file, `${JSON.stringify(c)}\n`);
}

/** A markdown section for latest.md (e.g. the pipeline's CPU per process), appended to BENCH_NOTES_FILE when set. */
export function reportNotes(markdown: string): void {
  const file = process.env.BENCH_NOTES_FILE;
  if (file) appendFileSync(file, `${markdown.trim()}\n\n`);
}

/** Fills in `ratio` of every case whose baseline is among `cases` (the last case of that name wins). */
export function withRatios(cases: BenchCase[]): BenchCase[] {
  const byName = new Map(cases.map((c) => [c.name, c]));
  return cases.map((c) => {
    const base = c.baseline ? byName.get(c.baseline) : undefined;
    return base && base.opsPerSec > 0 ? { ...c, ratio: c.opsPerSec / base.opsPerSec } : c;
  });
}

/** Milliseconds between two hrtime readings. */
export function msSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Quantile of an ascending array (NaN when empty). */
export function quantile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}
