/**
 * `npm run bench`: every bench, one after the other, each a process of its own (signature, schemas, message log,
 * pipeline), then bench/results/latest.json and latest.md with every case, its baseline and its ratio (both measured
 * in this run). Outside CI; about 10 minutes on a 2-core machine. States the machine's cores and load before.
 *
 *   npm run bench [-- --cpu-prof] [-- <pipeline options: --seconds 10 --connections 32 --drain-messages 2000 …>]
 *   npm run bench -- --benches pipeline,schemas      (some benches only)
 *
 * TEST_KAFKA_PORT / TEST_PG_PORT choose the pipeline's Kafka and PostgreSQL (started and stopped when not running).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { BenchCase, withRatios } from './support/cases';

const RESULTS_DIR = path.join(__dirname, 'results');
const BENCHES = ['signature.bench.ts', 'schemas.bench.ts', 'message-log.bench.ts', 'pipeline.bench.ts'];

/** What issue #12 asks of the figures, checked on every run (a quiet machine is needed for them to mean much). */
function targets(byName: Map<string, BenchCase>): string[] {
  const lines: string[] = [];
  const c = (name: string): BenchCase | undefined => byName.get(name);
  const check = (what: string, ok: boolean | undefined): void => {
    if (ok !== undefined) lines.push(`- ${ok ? 'met' : 'NOT met'}: ${what}`);
  };
  const submit = c('submit');
  const raw = c('raw-pipeline');
  const peer = c('peer-camel');
  if (submit && raw) check(`submit ≥ 0.5× raw-pipeline (${(submit.opsPerSec / raw.opsPerSec).toFixed(2)}×)`, submit.opsPerSec >= 0.5 * raw.opsPerSec);
  if (submit) check(`submit ≥ 3,000/s (${submit.opsPerSec.toFixed(0)}/s)`, submit.opsPerSec >= 3000);
  if (submit && peer) check(`submit ≥ 1.0× peer-camel (${(submit.opsPerSec / peer.opsPerSec).toFixed(2)}×)`, submit.opsPerSec >= peer.opsPerSec);
  const drain = c('drain');
  if (drain) check(`drain ≥ 1,000 delivered/s (${drain.opsPerSec.toFixed(0)}/s)`, drain.opsPerSec >= 1000);
  const solo = c('isolation-solo');
  const beside = c('isolation-slow-neighbour');
  if (solo && beside) {
    const ratio = beside.opsPerSec / solo.opsPerSec;
    check(`a partner answering in 2 s leaves another's drain within 10 % of its solo figure (${ratio.toFixed(2)}×)`, ratio >= 0.9);
  }
  for (const [rate, p99] of [
    [200, 25],
    [500, 50],
  ]) {
    const e = c(`exchange-${rate}rps`);
    if (e) check(`exchange p99 ≤ ${p99} ms at ${rate}/s (${e.p99Ms.toFixed(0)} ms, ${e.opsPerSec.toFixed(0)}/s achieved)`, e.p99Ms <= p99 && e.errors === 0);
  }
  for (const size of ['1kb', '100kb']) {
    for (const key of ['rsa', 'ec']) {
      const sign = c(`signature-soap-sign-${size}-${key}`);
      const verify = c(`signature-soap-verify-${size}-${key}`);
      const theirSign = c(`signature-soap-sign-${size}-${key}-xml-crypto`);
      const theirVerify = c(`signature-soap-verify-${size}-${key}-xml-crypto`);
      if (size === '100kb' && sign) check(`SOAP sign 100 KB ${key.toUpperCase()} ≤ 10 ms (p50 ${sign.p50Ms.toFixed(1)} ms)`, sign.p50Ms <= 10);
      if (sign && verify && theirSign && theirVerify) {
        // One sign plus one verify each (the signature part; the whole inbound call is inbound-soap below).
        const pair = (s: BenchCase, v: BenchCase): number => 1 / (1 / s.opsPerSec + 1 / v.opsPerSec);
        const ratio = pair(sign, verify) / pair(theirSign, theirVerify);
        check(`SOAP sign+verify ${size.toUpperCase()} ${key.toUpperCase()} ≥ 0.5× xml-crypto's on the same message (${ratio.toFixed(2)}×)`, ratio >= 0.5);
      }
    }
  }
  const inbound = c('inbound-soap');
  const inboundBase = c('inbound-soap-xml-crypto');
  if (inbound && inboundBase) {
    const ratio = inbound.opsPerSec / inboundBase.opsPerSec;
    check(`inbound signed SOAP call with XSD validation ≥ 0.5× xml-crypto sign+verify of the same message (${ratio.toFixed(2)}×)`, ratio >= 0.5 && inbound.errors === 0);
  }
  return lines;
}

function markdown(machine: Record<string, unknown>, cases: BenchCase[], notes: string): string {
  const f = (n: number | undefined, d = 0): string => (n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(d));
  const ms = (n: number | undefined): string => f(n, n !== undefined && Math.abs(n) < 0.1 ? 4 : 2);
  const byName = new Map(cases.map((x) => [x.name, x]));
  const load = (machine.loadBefore as number[]).map((l) => l.toFixed(2)).join(' ');
  return [
    `# Bench results`,
    '',
    `${machine.startedAt}: ${machine.cpus} CPUs (${machine.cpuModel}), node ${machine.node}, load average before ${load} (1, 5, 15 min), ` +
      `${machine.minutes} min. Load generator (autocannon), Kafka, PostgreSQL and the apps share the machine (and whatever else runs on it: compare ratios, not absolute figures).`,
    '',
    '| case | ops/s | p50 ms | p99 ms | errors | baseline | ratio | note |',
    '|---|---:|---:|---:|---:|---|---:|---|',
    ...cases.map(
      (x) => `| ${x.name} | ${f(x.opsPerSec)} | ${ms(x.p50Ms)} | ${ms(x.p99Ms)} | ${x.errors} | ${x.baseline ?? ''} | ${x.ratio === undefined ? '' : f(x.ratio, 2)} | ${x.note ?? ''} |`,
    ),
    '',
    '## Targets (issue #12)',
    '',
    ...(targets(byName).length ? targets(byName) : ['(no case of a target was measured in this run)']),
    '',
    notes,
  ].join('\n');
}

function main(): void {
  const args = process.argv.slice(2);
  const only = args.indexOf('--benches');
  const benches = only >= 0 ? args.splice(only, 2)[1].split(',').map((b) => `${b}.bench.ts`) : BENCHES;
  const loadBefore = loadavg();
  const started = new Date();
  console.log(`npm run bench: ${cpus().length} CPUs, node ${process.version}, load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}\n`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const casesFile = path.join(tmpdir(), `korpu-bench-cases-${process.pid}.jsonl`);
  const notesFile = path.join(tmpdir(), `korpu-bench-notes-${process.pid}.md`);
  rmSync(casesFile, { force: true });
  rmSync(notesFile, { force: true });
  const failed: string[] = [];
  for (const bench of benches) {
    console.log(`\n=== ${bench} ===`);
    const run = spawnSync(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, bench), ...(bench === 'pipeline.bench.ts' ? args : [])], {
      cwd: path.join(__dirname, '..'),
      env: { ...process.env, BENCH_CASES_FILE: casesFile, BENCH_NOTES_FILE: notesFile },
      stdio: 'inherit',
    });
    if (run.status !== 0) failed.push(`${bench} (exit ${run.status ?? run.signal})`);
  }
  let lines: string[] = [];
  try {
    lines = readFileSync(casesFile, 'utf8').split('\n').filter(Boolean);
  } catch {
    // no bench reported a case
  }
  rmSync(casesFile, { force: true });
  let notes = '';
  try {
    notes = readFileSync(notesFile, 'utf8');
  } catch {
    // no bench left notes
  }
  rmSync(notesFile, { force: true });
  const cases = withRatios(lines.map((line) => JSON.parse(line) as BenchCase));
  const submit = cases.find((c) => c.name === 'submit');
  const peer = cases.find((c) => c.name === 'peer-camel');
  if (submit && peer) submit.note = `${submit.note ?? ''}; ${(submit.opsPerSec / peer.opsPerSec).toFixed(2)}× peer-camel`.replace(/^; /, '');
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadBefore,
    loadAfter: loadavg(),
    startedAt: started.toISOString(),
    minutes: Number(((Date.now() - started.getTime()) / 60000).toFixed(1)),
  };
  writeFileSync(path.join(RESULTS_DIR, 'latest.json'), `${JSON.stringify({ machine, cases }, null, 2)}\n`);
  const md = markdown(machine, cases, notes);
  writeFileSync(path.join(RESULTS_DIR, 'latest.md'), md);
  console.log(`\n${md}\nwritten: bench/results/latest.json, bench/results/latest.md (${machine.minutes} min)`);
  if (failed.length) {
    console.error(`failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

main();
