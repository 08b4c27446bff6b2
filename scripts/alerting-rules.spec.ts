import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { renderAlertmanagerConfig } from './render-alertmanager-config';

const root = path.resolve(__dirname, '..');
const prometheusDir = path.join(root, 'deploy/prometheus');

/** Runs a Prometheus tool (Debian `prometheus` / `prometheus-alertmanager`, installed by scripts/ensure-prometheus.sh). */
function tool(command: string, args: string[], cwd = prometheusDir): { status: number | null; output: string } {
  const run = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (run.error) throw new Error(`${command} is missing: run bash scripts/ensure-prometheus.sh (${run.error.message})`);
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('alerting rules (deploy/prometheus)', () => {
  it('pass promtool check rules', () => {
    const result = tool('promtool', ['check', 'rules', 'korpu-alerts.rules.yml']);
    expect(result.output).toContain('SUCCESS: 10 rules found');
    expect(result.status).toBe(0);
  });

  it('pass their promtool unit tests (each alert fires on what should fire it, after its `for`)', () => {
    const result = tool('promtool', ['test', 'rules', 'korpu-alerts.test.yml']);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('each alert has a unit test', () => {
    const rules = fs.readFileSync(path.join(prometheusDir, 'korpu-alerts.rules.yml'), 'utf8');
    const tests = fs.readFileSync(path.join(prometheusDir, 'korpu-alerts.test.yml'), 'utf8');
    const alerts = [...rules.matchAll(/- alert: (\w+)/g)].map((m) => m[1]);
    expect(alerts).toHaveLength(10);
    for (const alert of alerts) expect({ alert, tested: tests.includes(`alertname: ${alert}`) }).toEqual({ alert, tested: true });
  });

  it('a broken rule fails promtool, so the checks above can fail', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'korpu-rules-'));
    try {
      fs.writeFileSync(path.join(dir, 'broken.yml'), 'groups:\n  - name: x\n    rules:\n      - alert: Broken\n        expr: sum by (partner (x)\n');
      expect(tool('promtool', ['check', 'rules', 'broken.yml'], dir).status).not.toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Alertmanager configuration (deploy/alertmanager)', () => {
  const env = { SMTP_SMARTHOST: 'smtp.mlsp.gov.az:587', SMTP_FROM: 'korpu@mlsp.gov.az', ALERT_EMAIL_TO: 'noc@mlsp.gov.az, korpu-ops@mlsp.gov.az' };

  it('renders from the environment into a configuration amtool accepts, mailing through the SMTP server', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'korpu-am-'));
    try {
      fs.writeFileSync(path.join(dir, 'password'), "s3cr'et\n");
      const config = renderAlertmanagerConfig({ ...env, SMTP_AUTH_USERNAME: 'korpu', SMTP_AUTH_PASSWORD_FILE: path.join(dir, 'password') });
      expect(config).toContain("smtp_smarthost: 'smtp.mlsp.gov.az:587'");
      expect(config).toContain("smtp_auth_password: 's3cr''et'");
      expect(config).toContain('smtp_require_tls: true');
      expect(config).toContain("to: 'noc@mlsp.gov.az, korpu-ops@mlsp.gov.az'");
      fs.writeFileSync(path.join(dir, 'alertmanager.yml'), config);
      const check = tool('amtool', ['check-config', path.join(dir, 'alertmanager.yml')], dir);
      expect(check.output).toContain('SUCCESS');
      expect(check.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to render without the SMTP server, sender and recipients, naming each variable', () => {
    expect(() => renderAlertmanagerConfig({})).toThrow(/SMTP_SMARTHOST is required[\s\S]*SMTP_FROM is required[\s\S]*ALERT_EMAIL_TO is required/);
    expect(() => renderAlertmanagerConfig({ ...env, SMTP_SMARTHOST: 'smtp.mlsp.gov.az' })).toThrow(/SMTP_SMARTHOST must be host:port/);
    expect(() => renderAlertmanagerConfig({ ...env, ALERT_GROUP_WAIT: 'soon' })).toThrow(/ALERT_GROUP_WAIT must be a duration/);
  });

  it('never puts the password into an error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'korpu-am-'));
    try {
      fs.writeFileSync(path.join(dir, 'password'), 'hunter2-smtp');
      let message = '';
      try {
        renderAlertmanagerConfig({ ...env, SMTP_FROM: 'not an address', SMTP_AUTH_PASSWORD_FILE: path.join(dir, 'password') });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain('SMTP_FROM must be an e-mail address');
      expect(message).not.toContain('hunter2-smtp');
      expect(() => renderAlertmanagerConfig({ ...env, SMTP_AUTH_PASSWORD_FILE: path.join(dir, 'missing') })).toThrow(/SMTP_AUTH_PASSWORD_FILE cannot be read/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
