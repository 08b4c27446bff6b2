/**
 * Runs one fault scenario of test/fault/fault-tolerance.e2e-spec.ts many times, outside CI, to catch what fails in
 * one run of five or twenty: each run is its own Jest process (its own stack: apps, database, topic prefix), holding
 * the shared infrastructure lock /tmp/korpu-infra.lock for that run only, one after the other. Prints one line a run
 * (scenario, accepted / delivered / duplicated / lost, passed or failed) and a summary; a failed run's Jest output is
 * kept in a file named on its line.
 *
 *   node -r @swc-node/register bench/fault-runs.ts [--scenario "broker is killed" | --all] [--runs 20]
 *        [--spec test/fault/kafka-cluster.e2e-spec.ts --scenario "three-broker"]
 *
 * --scenario: a part of the scenario's name (Jest -t), default the broker-kill scenario; --all runs every scenario of
 * the spec, each --runs times, one scenario after the other. KORPU_INFRA_LOCK names another lock file (a second
 * checkout on its own TEST_* ports). Exit code 1 when a run lost a message or failed otherwise.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const LOCK = process.env.KORPU_INFRA_LOCK ?? '/tmp/korpu-infra.lock';

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

/** The spec whose scenarios run: the fault-tolerance spec unless --spec names another (the three-broker cluster's). */
const SPEC = argument('spec', 'test/fault/fault-tolerance.e2e-spec.ts');

interface RunResult {
  passed: boolean;
  accepted?: number;
  delivered?: number;
  duplicated?: number;
  lost?: number;
  seconds: number;
  log?: string;
}

const FAULT_LINE = /fault test: sent \d+ \(\d+ messages\) \/ accepted (\d+) \/ delivered (\d+) \/ duplicated (\d+) \/ lost (\d+)/;

/** The scenario names of the spec: the first string of each entry of its `scenarios` table. */
export function scenarioNames(specSource: string): string[] {
  const table = /const scenarios[^=]*= \[([\s\S]*?)\n\];/.exec(specSource);
  if (!table) throw new Error(`no scenarios table in ${SPEC}`);
  return [...table[1].matchAll(/^  \[\n(?: *\/\/.*\n)*    '([^'\n]+)',$/gm)].map((match) => match[1]);
}

/** Jest's -t is a regular expression; scenario names have parentheses and commas. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function runOnce(scenario: string, index: number, logDir: string): RunResult {
  const started = Date.now();
  const root = path.resolve(__dirname, '..');
  const jest = spawnSync('flock', [LOCK, 'npx', 'jest', '--selectProjects', 'e2e', '--runInBand', SPEC, '-t', escapeRegExp(scenario)], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  const output = `${jest.stdout ?? ''}\n${jest.stderr ?? ''}`;
  const seconds = Math.round((Date.now() - started) / 1000);
  const match = FAULT_LINE.exec(output);
  const passed = jest.status === 0 && match !== null;
  let log: string | undefined;
  if (!passed) {
    log = path.join(logDir, `run-${index}.log`);
    fs.writeFileSync(log, output);
  }
  if (!match) return { passed, seconds, log };
  const [accepted, delivered, duplicated, lost] = match.slice(1).map(Number);
  return { passed, accepted, delivered, duplicated, lost, seconds, log };
}

interface ScenarioSummary {
  scenario: string;
  runs: number;
  lossy: number;
  failed: number;
  duplicated: number;
}

function runScenario(scenario: string, runs: number, logDir: string): ScenarioSummary {
  const results: RunResult[] = [];
  for (let index = 1; index <= runs; index++) {
    const result = runOnce(scenario, index, logDir);
    results.push(result);
    const counts =
      result.accepted === undefined
        ? 'no fault test line (the run failed before its load ended)'
        : `accepted ${result.accepted} / delivered ${result.delivered} / duplicated ${result.duplicated} / lost ${result.lost}`;
    process.stdout.write(`run ${index}/${runs} "${scenario}": ${counts} — ${result.passed ? 'passed' : `FAILED (${result.log})`} in ${result.seconds} s\n`);
  }
  return {
    scenario,
    runs,
    lossy: results.filter((result) => (result.lost ?? 0) > 0).length,
    failed: results.filter((result) => !result.passed).length,
    duplicated: results.reduce((sum, result) => sum + (result.duplicated ?? 0), 0),
  };
}

function main(): void {
  const runs = Number(argument('runs', '20'));
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  const scenarios = process.argv.includes('--all')
    ? scenarioNames(fs.readFileSync(path.resolve(__dirname, '..', SPEC), 'utf8'))
    : [argument('scenario', 'the Kafka broker is killed and restarted mid-load')];
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'korpu-fault-runs-'));
  const summaries = scenarios.map((scenario) => runScenario(scenario, runs, logDir));
  for (const summary of summaries) {
    process.stdout.write(
      `"${summary.scenario}": ${summary.runs} runs, ${summary.lossy} lost a message, ${summary.failed} failed, ${summary.duplicated} duplicates in all\n`,
    );
  }
  if (summaries.some((summary) => summary.failed > 0)) process.exitCode = 1;
}

if (require.main === module) main();
