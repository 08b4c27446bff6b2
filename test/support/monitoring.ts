import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '@korpu/testing';
import { renderAlertmanagerConfig } from '../../scripts/render-alertmanager-config';

/** A process of the monitoring stack (Prometheus, Alertmanager, the SMTP sink), stopped by `stop`. */
export interface MonitoringProcess {
  name: string;
  output: () => string;
  stop: () => Promise<void>;
}

export function startProcess(name: string, command: string, args: string[], env: Record<string, string> = {}): MonitoringProcess {
  const child: ChildProcess = spawn(command, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', (error) => (output += `spawn failed: ${error.message}\n`));
  return {
    name,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    },
  };
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The test ports of the monitoring stack (own ports per session: TEST_PROMETHEUS_PORT, TEST_ALERTMANAGER_PORT, TEST_SMTP_PORT). */
export const monitoringPorts = {
  prometheus: Number(process.env.TEST_PROMETHEUS_PORT ?? 27090),
  alertmanager: Number(process.env.TEST_ALERTMANAGER_PORT ?? 27093),
  smtp: Number(process.env.TEST_SMTP_PORT ?? 27025),
};

/** The SMTP sink (aiosmtpd, installed by scripts/ensure-aiosmtpd.sh) writing every mail it takes into a Maildir. */
export function startSmtpSink(port: number, maildir: string): MonitoringProcess {
  const envFile = path.join(repoRoot, '.local/aiosmtpd.env');
  if (!fs.existsSync(envFile)) throw new Error('aiosmtpd is missing: run bash scripts/ensure-aiosmtpd.sh');
  const settings = Object.fromEntries(
    fs
      .readFileSync(envFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return startProcess('smtp-sink', settings.AIOSMTPD_PYTHON, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir], {
    ...(settings.AIOSMTPD_PYTHONPATH ? { PYTHONPATH: settings.AIOSMTPD_PYTHONPATH } : {}),
  });
}

/** Alertmanager with the project's configuration template, mailing to the sink without TLS, grouping fast. */
export function startAlertmanager(dir: string, port: number, smtpPort: number, to: string): MonitoringProcess {
  const config = renderAlertmanagerConfig({
    SMTP_SMARTHOST: `127.0.0.1:${smtpPort}`,
    SMTP_FROM: 'korpu-alerts@mlsp.test',
    ALERT_EMAIL_TO: to,
    SMTP_REQUIRE_TLS: 'false',
    ALERT_GROUP_WAIT: '1s',
    ALERT_GROUP_INTERVAL: '5s',
    ALERT_REPEAT_INTERVAL: '1h',
  });
  fs.writeFileSync(path.join(dir, 'alertmanager.yml'), config);
  return startProcess('alertmanager', 'prometheus-alertmanager', [
    `--config.file=${path.join(dir, 'alertmanager.yml')}`,
    `--storage.path=${path.join(dir, 'alertmanager-data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
  ]);
}

export interface ScrapeTarget {
  job: string;
  url: string;
  /** For https targets: the CA file the app's server certificate chains to. */
  caFile?: string;
}

/**
 * Prometheus scraping the apps every second, with the project's alerting rules whose `for` durations are cut to
 * `forSeconds` (the expressions and thresholds are the ones deployed), sending to the Alertmanager.
 */
export function startPrometheus(dir: string, port: number, alertmanagerPort: number, targets: ScrapeTarget[], forSeconds = 5): MonitoringProcess {
  const rules = fs.readFileSync(path.join(repoRoot, 'deploy/prometheus/korpu-alerts.rules.yml'), 'utf8').replace(/^(\s+for: )\S+$/gm, `$1${forSeconds}s`);
  fs.writeFileSync(path.join(dir, 'korpu-alerts.rules.yml'), rules);
  const scrapeConfigs = targets.map((target) => {
    const url = new URL(target.url);
    return [
      `  - job_name: ${target.job}`,
      `    scheme: ${url.protocol.replace(':', '')}`,
      `    metrics_path: /metrics`,
      ...(target.caFile ? [`    tls_config:`, `      ca_file: ${target.caFile}`] : []),
      `    static_configs:`,
      `      - targets: ['${url.host}']`,
    ].join('\n');
  });
  fs.writeFileSync(
    path.join(dir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      '  evaluation_interval: 1s',
      'rule_files:',
      `  - ${path.join(dir, 'korpu-alerts.rules.yml')}`,
      'alerting:',
      '  alertmanagers:',
      '    - static_configs:',
      `        - targets: ['127.0.0.1:${alertmanagerPort}']`,
      'scrape_configs:',
      ...scrapeConfigs,
      '',
    ].join('\n'),
  );
  return startProcess('prometheus', 'prometheus', [
    `--config.file=${path.join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${path.join(dir, 'prometheus-data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
}

export function monitoringDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'korpu-monitoring-'));
}

/** A mail of the sink: its headers as sent, and its body decoded from quoted-printable so text can be searched. */
export interface SunkMail {
  headers: string;
  body: string;
}

const qp = (text: string) => text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

export function readMaildir(maildir: string): SunkMail[] {
  const mails: SunkMail[] = [];
  for (const sub of ['new', 'cur']) {
    const dir = path.join(maildir, sub);
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir)) {
      const raw = fs.readFileSync(path.join(dir, file), 'utf8');
      const split = raw.search(/\r?\n\r?\n/);
      mails.push({ headers: raw.slice(0, split), body: qp(raw.slice(split)) });
    }
  }
  return mails;
}
