import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MetricsRegistry } from '@korpu/observability';

const root = path.resolve(__dirname, '..');
const dashboard = JSON.parse(fs.readFileSync(path.join(root, 'deploy/grafana/korpu-dashboard.json'), 'utf8'));
const rules = fs.readFileSync(path.join(root, 'deploy/prometheus/korpu-alerts.rules.yml'), 'utf8');

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Array<{ expr: string; refId: string }>;
}

const panels: Panel[] = dashboard.panels;
const queries = panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));

/** Every metric name declared in the code (`name: 'korpu_…'`), outside tests. */
function declaredNames(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else if (entry.name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry.name)) {
        for (const match of fs.readFileSync(full, 'utf8').matchAll(/name: '(korpu_[a-z0-9_]+)'/g)) names.add(match[1]);
      }
    }
  };
  walk(path.join(root, 'libs'));
  walk(path.join(root, 'apps'));
  return names;
}

/** The metric names a PromQL expression reads (label names, functions and keywords left out). */
function metricsOf(expr: string): string[] {
  const withoutLabels = expr.replace(/\{[^}]*\}/g, '').replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  return [...withoutLabels.matchAll(/\b((?:korpu|process|nodejs)_[a-z0-9_]+|up)\b/g)].map((m) => m[1].replace(/_(bucket|sum|count)$/, ''));
}

describe('the metrics the Grafana dashboard and the alerting rules read', () => {
  it('exist: each is declared in the code, or is a prom-client default metric, or up', async () => {
    const known = declaredNames();
    const defaults = await MetricsRegistry.create({ defaultMetrics: true }).render();
    for (const match of defaults.matchAll(/^# TYPE (\S+) /gm)) known.add(match[1]);
    known.add('up');
    const ruleExprs = [...rules.matchAll(/expr: (>\n(?:\s{10}.*\n)+|.*)/g)].map((m) => m[1]);
    expect(ruleExprs).toHaveLength(10);
    const read = [...new Set([...queries, ...ruleExprs].flatMap(metricsOf))].sort();
    expect(read.length).toBeGreaterThan(20);
    expect(read.filter((name) => !known.has(name))).toEqual([]);
  });

  it('cover every metric an alert is about and the main ones operators look at', () => {
    const read = new Set(queries.flatMap(metricsOf));
    for (const name of [
      'korpu_exchanges_total',
      'korpu_exchange_duration_seconds',
      'korpu_partner_consecutive_failures',
      'korpu_dead_letters_total',
      'korpu_failed_messages_waiting',
      'korpu_kafka_consumer_lag',
      'korpu_certificate_expiry_days',
      'korpu_crl_next_update_days',
      'korpu_ready',
      'korpu_db_pool_connections',
      'korpu_http_request_duration_seconds',
    ]) {
      expect({ name, onDashboard: read.has(name) }).toEqual({ name, onDashboard: true });
    }
  });
});

describe('deploy/grafana/korpu-dashboard.json', () => {
  it('is a Grafana dashboard: title, uid, schema version, panels with unique ids, positions and Prometheus queries', () => {
    expect(dashboard).toMatchObject({ title: 'Körpü', uid: 'korpu-overview', schemaVersion: expect.any(Number) });
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
    for (const panel of panels) {
      expect(panel.gridPos.w).toBeGreaterThan(0);
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
      if (panel.type !== 'row') expect(panel.targets?.length).toBeGreaterThan(0);
    }
    expect(dashboard.templating.list.map((variable: { name: string }) => variable.name)).toEqual(['datasource', 'partner']);
  });

  it('queries only valid PromQL (promtool checks each query as a recording rule)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'korpu-dashboard-'));
    try {
      const rulesFile = [
        'groups:',
        '  - name: dashboard',
        '    rules:',
        ...queries.flatMap((expr, i) => [`      - record: korpu_dashboard_query_${i}`, `        expr: ${JSON.stringify(expr.replace(/\$partner/g, '.*'))}`]),
        '',
      ].join('\n');
      fs.writeFileSync(path.join(dir, 'dashboard.rules.yml'), rulesFile);
      const run = spawnSync('promtool', ['check', 'rules', 'dashboard.rules.yml'], { cwd: dir, encoding: 'utf8' });
      if (run.error) throw new Error(`promtool is missing: run bash scripts/ensure-prometheus.sh (${run.error.message})`);
      expect(`${run.stdout}${run.stderr}`).toContain(`SUCCESS: ${queries.length} rules found`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
