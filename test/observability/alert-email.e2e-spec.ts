import * as fs from 'node:fs';
import * as path from 'node:path';
import { stopAllApps } from '@korpu/testing';
import { DEV_PKI_DIR, closeHttpsAgents, httpsRequest } from '../support/https-client';
import {
  MonitoringProcess,
  monitoringDir,
  monitoringPorts,
  portOpen,
  readMaildir,
  startAlertmanager,
  startPrometheus,
  startSmtpSink,
} from '../support/monitoring';
import { Stack, api, startStack, waitFor } from '../support/stack';

const OPERATORS = 'korpu-operators@mlsp.test';

/**
 * Monitoring as deployed: a real Prometheus (Debian) scrapes the apps' /metrics and evaluates
 * deploy/prometheus/korpu-alerts.rules.yml (its `for` durations cut to seconds), a real Alertmanager (Debian)
 * configured from deploy/alertmanager mails through a real SMTP server (aiosmtpd). A partner goes down: the
 * operators get an e-mail naming it.
 */
describe('metrics and alerts by e-mail', () => {
  let stack: Stack;
  let dir: string;
  const processes: MonitoringProcess[] = [];
  const maildir = () => path.join(dir, 'mail');

  async function prometheusQuery(query: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    const response = await fetch(`http://127.0.0.1:${monitoringPorts.prometheus}/api/v1/query?query=${encodeURIComponent(query)}`);
    return ((await response.json()) as { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } }).data.result;
  }

  async function metric(url: string, pattern: RegExp): Promise<number> {
    const text = url.startsWith('https:') ? (await httpsRequest(url)).text : await (await fetch(url)).text();
    const match = pattern.exec(text);
    return match ? Number(match[1]) : 0;
  }

  beforeAll(async () => {
    for (const port of Object.values(monitoringPorts)) {
      if (await portOpen(port)) throw new Error(`port ${port} is taken: set TEST_PROMETHEUS_PORT / TEST_ALERTMANAGER_PORT / TEST_SMTP_PORT`);
    }
    dir = monitoringDir();
    // A Maildir: aiosmtpd's Mailbox handler writes into tmp/ and moves each mail to new/.
    for (const sub of ['tmp', 'new', 'cur']) fs.mkdirSync(path.join(maildir(), sub), { recursive: true });
    stack = await startStack({ simulators: ['tax-service'] });
    processes.push(startSmtpSink(monitoringPorts.smtp, maildir()));
    processes.push(startAlertmanager(dir, monitoringPorts.alertmanager, monitoringPorts.smtp, OPERATORS));
    processes.push(
      startPrometheus(dir, monitoringPorts.prometheus, monitoringPorts.alertmanager, [
        { job: 'korpu-dispatcher', url: stack.dispatcherUrls.get(stack.dispatchers[0]) as string },
        { job: 'korpu-gateway', url: stack.adminUrl, caFile: path.join(DEV_PKI_DIR, 'ca', 'trust-bundle.crt') },
      ]),
    );
    const describe = () => processes.map((p) => `--- ${p.name}\n${p.output().slice(-3000)}`).join('\n');
    await waitFor(`the SMTP sink\n${describe()}`, async () => ((await portOpen(monitoringPorts.smtp)) ? true : undefined));
    await waitFor(`Alertmanager ready\n${describe()}`, async () => ((await fetch(`http://127.0.0.1:${monitoringPorts.alertmanager}/-/ready`)).ok ? true : undefined));
    await waitFor(`Prometheus scraping both apps\n${describe()}`, async () => {
      const up = await prometheusQuery('up');
      return up.length === 2 && up.every((series) => series.value[1] === '1') ? true : undefined;
    });
  });

  afterAll(async () => {
    if (stack) await fetch(`${stack.taxServiceUrl}/_sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"mode":"none"}' }).catch(() => undefined);
    for (const process of processes.reverse()) await process.stop();
    await stack?.stop();
    await stopAllApps();
    closeHttpsAgents();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counts exchanges and HTTP requests under load, by partner, operation and route template', async () => {
    const exchanges = /^korpu_exchanges_total\{partner="tax-service",operation="GetTaxpayer",outcome="replied"\} (\d+)$/m;
    const requests = /^korpu_http_requests_total\{app="gateway",route="\/v1\/exchange",method="POST",client="MLSP\/pensions",service="tax-service\/GetTaxpayer",status="200"\} (\d+)$/m;
    const beforeExchanges = await metric(`${stack.dispatcherUrls.get(stack.dispatchers[0])}/metrics`, exchanges);
    const beforeRequests = await metric(`${stack.adminUrl}/metrics`, requests);
    const load = 20;
    const answers = await Promise.all(
      Array.from({ length: load }, () => api(stack, 'POST', '/v1/exchange', { service: 'tax-service/GetTaxpayer', payload: { voen: '1400057421' } })),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(load).fill(200));
    expect(await metric(`${stack.dispatcherUrls.get(stack.dispatchers[0])}/metrics`, exchanges)).toBe(beforeExchanges + load);
    expect(await metric(`${stack.adminUrl}/metrics`, requests)).toBe(beforeRequests + load);
    const latency = await (await fetch(`${stack.dispatcherUrls.get(stack.dispatchers[0])}/metrics`)).text();
    expect(latency).toMatch(/^korpu_exchange_duration_seconds_count\{partner="tax-service",operation="GetTaxpayer",outcome="replied"\} [1-9]\d*$/m);
    expect(latency).toMatch(/^korpu_partner_consecutive_failures\{partner="tax-service"\} 0$/m);
    expect(latency).toMatch(/^korpu_db_query_duration_seconds_count\{outcome="ok"\} [1-9]\d*$/m);
    expect(latency).toMatch(/^korpu_kafka_consumer_lag\{group="[^"]+",topic="[^"]+",partition="\d+"\} \d+$/m);
    // No message id in any label: the message ids of this load appear nowhere in the metrics.
    const gatewayMetrics = (await httpsRequest(`${stack.adminUrl}/metrics`)).text;
    for (const answer of answers) {
      expect(latency).not.toContain(answer.body.messageId);
      expect(gatewayMetrics).not.toContain(answer.body.messageId);
    }
    // Prometheus sees the same series.
    await waitFor('Prometheus to scrape the exchanges', async () => {
      const [series] = await prometheusQuery('sum(korpu_exchanges_total{partner="tax-service",outcome="replied"})');
      return series && Number(series.value[1]) >= beforeExchanges + load ? true : undefined;
    });
  });

  it('mails the operators when a partner goes down, naming the partner', async () => {
    const down = await fetch(`${stack.taxServiceUrl}/_sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"mode":"down"}' });
    expect(down.ok).toBe(true);
    for (let i = 0; i < 4; i++) {
      const accepted = await api(stack, 'POST', '/v1/messages', { service: 'tax-service/GetTaxpayer', payload: { voen: '2900000012' } });
      expect(accepted.status).toBe(202);
    }
    const state = async () =>
      `alerts: ${JSON.stringify(await (await fetch(`http://127.0.0.1:${monitoringPorts.prometheus}/api/v1/alerts`)).json())}\n` +
      processes.map((p) => `--- ${p.name}\n${p.output().slice(-2000)}`).join('\n');
    await waitFor('the dispatcher to count the partner unreachable', async () => {
      const [series] = await prometheusQuery('korpu_partner_consecutive_failures{partner="tax-service"}');
      return series && Number(series.value[1]) >= 3 ? true : undefined;
    }, 60000);
    const mail = await waitFor(
      'the alert e-mail in the SMTP sink',
      async () => readMaildir(maildir()).find((candidate) => candidate.body.includes('KorpuPartnerUnreachable')),
      90000,
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${await state()}\nmails: ${readMaildir(maildir()).length}`);
    });
    expect(mail.headers).toMatch(new RegExp(`^To: ${OPERATORS}$`, 'mi'));
    expect(mail.headers).toMatch(/^From: korpu-alerts@mlsp\.test$/m);
    // The subject (an RFC 2047 encoded word: spaces as underscores) names the partner too.
    expect(mail.headers).toMatch(/^Subject: .*FIRING.*Partner_tax-service_is_unreachable/m);
    expect(mail.body).toContain('FIRING KorpuPartnerUnreachable (critical)');
    expect(mail.body).toContain('Partner tax-service is unreachable');
    expect(mail.body).toContain('partner: tax-service');
  }, 240000);
});
