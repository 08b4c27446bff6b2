/**
 * The functions with the most self time in V8 CPU profiles (.cpuprofile, from `node --cpu-prof`, e.g.
 * `npm run bench -- --cpu-prof`, which writes bench/results/profiles/ with apps.json naming each pid).
 *
 *   node -r @swc-node/register bench/cpu-profile-top.ts [file.cpuprofile | dir] [--top 10]
 *
 * One block per profile: its app (from apps.json when the pid is there), the sampled time, then the top functions by
 * self time with their share, file and line (node_modules paths shortened to the package).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

function where(url: string, line: number): string {
  if (!url) return '(native)';
  const file = url.replace(/^file:\/\//, '');
  const inModules = file.lastIndexOf('node_modules/');
  const short = inModules >= 0 ? file.slice(inModules + 'node_modules/'.length) : path.relative(process.cwd(), file);
  return `${short}:${line + 1}`;
}

/** Where a function lives: a package, a lib or app of ours, node's own JS, or native code (syscalls, builtins). */
function part(at: string): string {
  if (at === '(native)') return 'native (I/O syscalls, builtins)';
  if (at.startsWith('node:')) return 'node internals';
  const ours = /^(libs|apps|bench)\/([^/]+)/.exec(at);
  if (ours) return `${ours[1]}/${ours[2]}`;
  const pkg = /^(@[^/]+\/[^/]+|[^/]+)/.exec(at);
  return pkg ? pkg[1] : at;
}

/** Self time per function (name + location), in ms, from the samples and their time deltas. */
export function selfTimes(profile: Profile): { totalMs: number; rows: { fn: string; at: string; ms: number }[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  if (profile.samples && profile.timeDeltas) {
    profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas![i + 1] ?? 0)));
  } else {
    const interval = (profile.endTime - profile.startTime) / Math.max(1, profile.nodes.reduce((n, x) => n + (x.hitCount ?? 0), 0));
    for (const n of profile.nodes) selfUs.set(n.id, (n.hitCount ?? 0) * interval);
  }
  const grouped = new Map<string, { fn: string; at: string; ms: number }>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const fn = node.callFrame.functionName || '(anonymous)';
    const at = where(node.callFrame.url, node.callFrame.lineNumber);
    const key = `${fn}@${at}`;
    const row = grouped.get(key) ?? { fn, at, ms: 0 };
    row.ms += us / 1000;
    grouped.set(key, row);
  }
  const rows = [...grouped.values()].sort((a, b) => b.ms - a.ms);
  return { totalMs: rows.reduce((n, r) => n + r.ms, 0), rows };
}

function main(): void {
  const target = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : path.join(__dirname, 'results/profiles');
  const topIndex = process.argv.indexOf('--top');
  const top = topIndex >= 0 ? Number(process.argv[topIndex + 1]) || 10 : 10;
  const files = statSync(target).isDirectory()
    ? readdirSync(target)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => path.join(target, f))
    : [target];
  const namesFile = path.join(statSync(target).isDirectory() ? target : path.dirname(target), 'apps.json');
  const names: Record<string, string> = existsSync(namesFile) ? JSON.parse(readFileSync(namesFile, 'utf8')) : {};
  for (const file of files.sort()) {
    const pid = /\.(\d+)\.\d+\.\d+\.cpuprofile$/.exec(file)?.[1] ?? '';
    const { totalMs, rows } = selfTimes(JSON.parse(readFileSync(file, 'utf8')) as Profile);
    if (totalMs < 1000) continue; // a helper process's start-up, not an app under load
    const busy = rows.filter((r) => r.fn !== '(idle)' && r.fn !== '(program)' && r.fn !== '(garbage collector)');
    const idle = rows.find((r) => r.fn === '(idle)')?.ms ?? 0;
    const gc = rows.find((r) => r.fn === '(garbage collector)')?.ms ?? 0;
    console.log(
      `\n${names[pid] ?? '?'} (pid ${pid}, ${path.basename(file)}): ${(totalMs / 1000).toFixed(1)} s sampled, ${(100 * (1 - idle / totalMs)).toFixed(0)} % not idle, GC ${((100 * gc) / totalMs).toFixed(1)} %`,
    );
    const nonIdle = totalMs - idle;
    for (const r of busy.slice(0, top)) {
      console.log(`  ${((100 * r.ms) / nonIdle).toFixed(1).padStart(5)} %  ${r.ms.toFixed(0).padStart(7)} ms  ${r.fn.slice(0, 40).padEnd(40)}  ${r.at}`);
    }
    const byPart = new Map<string, number>();
    for (const r of busy) byPart.set(part(r.at), (byPart.get(part(r.at)) ?? 0) + r.ms);
    const parts = [...byPart.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
    console.log(`  by part: ${parts.map(([p, ms]) => `${p} ${((100 * ms) / nonIdle).toFixed(0)} %`).join(', ')}`);
  }
}

if (require.main === module) main();
