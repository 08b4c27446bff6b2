import * as fs from 'node:fs';
import { ensureTestKafkaCluster, stopAllApps } from '@korpu/testing';
import { simulator } from '../support/contracts';
import { httpsRequest } from '../support/https-client';
import { LoadReport, fastRetryContracts, partnerDuplicates, restartDispatcher, runLoad, sleep } from '../support/load';
import { RoundRobinProxy, startRoundRobinProxy } from '../support/round-robin-proxy';
import { Stack, startStack, waitFor } from '../support/stack';

/**
 * Several instances of every app on one machine, against the three-node test cluster (KAFKA_PROFILE=production):
 * two gateways behind a round-robin balancer of the test's own, two dispatchers in one consumer group, two partner
 * endpoints behind a balancer where the portal calls. One `fault test:` line per scenario, each naming it.
 * The scenarios run in order on one stack; each leaves it whole (two of each) for the next.
 */
const OPERATOR_TOKEN = 'multi-instance-operator-token';
let stack: Stack;
let gateways: RoundRobinProxy;
let contractsDir: string;

beforeAll(async () => {
  contractsDir = fastRetryContracts();
  // The cluster is left running for the next test file; the global teardown stops it.
  const { brokers } = await ensureTestKafkaCluster();
  stack = await startStack({
    contractsDir,
    kafka: { brokers, profile: 'production' },
    gateways: 2,
    dispatchers: 2,
    partnerEndpoint: true,
    partnerEndpoints: 2,
    simulators: ['tax-service', 'ministry-subsystem', 'egov-portal'],
    exchangeTimeoutMs: 20000,
    env: { ADMIN_OPERATORS: `${OPERATOR_TOKEN}=multi-instance-tester` },
  });
  gateways = await startRoundRobinProxy(stack.gatewayUrls.map((url) => Number(new URL(url).port)));
}, 240000);

afterAll(async () => {
  await gateways?.close();
  await stack?.stop();
  await stopAllApps();
  fs.rmSync(contractsDir, { recursive: true, force: true });
}, 120000);

const balancedGatewayUrl = () => `https://127.0.0.1:${gateways.port}`;
const setPartnerFault = (mode: string, setting: { latencyMs?: number } = {}) => simulator(stack.simulatorUrls['tax-service'], '/_sim/faults', { mode, ...setting });
const figures = (report: LoadReport) => `accepted ${report.accepted} / delivered ${report.delivered} / duplicated ${report.duplicated} / lost ${report.lost}`;
const print = (line: string) => process.stdout.write(`fault test: ${line}\n`);

/** What each dispatcher instance recorded as delivered to the tax service so far (korpu_deliveries_total). */
async function deliveriesPerDispatcher(): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  for (const dispatcher of stack.dispatchers) {
    const text = await (await fetch(`${stack.dispatcherUrls.get(dispatcher)}/metrics`)).text();
    const match = /^korpu_deliveries_total\{partner="tax-service"\} (\d+)$/m.exec(text);
    result.set(dispatcher.name, match ? Number(match[1]) : 0);
  }
  return result;
}

function expectNothingLost(report: LoadReport): void {
  expect(report.lostIds).toEqual([]);
  expect(report.lost).toBe(0);
  expect(report.delivered).toBe(report.accepted);
}

/** 120 submits at 15/s through the gateway balancer, `fault` after 40; `mend` afterwards, whatever happened. */
const loadThroughBalancer = ({ fault, mend }: { fault: () => Promise<void>; mend: () => Promise<unknown> }) =>
  runLoad(stack, { print: false, messages: 120, ratePerSecond: 15, faultAfter: 40, gatewayUrl: balancedGatewayUrl(), fault }).finally(mend);

const exchange = (url: string, messageId: string, voen: string) =>
  httpsRequest(`${url}/v1/exchange`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ service: 'tax-service/GetTaxpayer', messageId, payload: { voen } }),
    identity: 'pensions',
    timeoutMs: 30000,
  });

describe('several instances of every app', () => {
  it('spreads the load across the dispatcher consumer group: each instance delivers a share', async () => {
    const before = await deliveriesPerDispatcher();
    const report = await runLoad(stack, { messages: 120, ratePerSecond: 20, faultAfter: 0, fault: async () => undefined, gatewayUrl: balancedGatewayUrl(), print: false });
    const after = await deliveriesPerDispatcher();
    const shares = [...after].map(([name, count]) => [name, count - (before.get(name) ?? 0)] as const);
    print(`two dispatcher instances in one consumer group share the load: ${figures(report)}; ${shares.map(([name, n]) => `${name} delivered ${n}`).join(', ')}`);
    expectNothingLost(report);
    expect(report.duplicated).toBe(0);
    for (const [, delivered] of shares) expect(delivered).toBeGreaterThan(0);
    expect(shares.reduce((sum, [, n]) => sum + n, 0)).toBe(report.delivered);
  }, 180000);

  it('loses no accepted message when a gateway instance is killed mid-load, and answers its waiting exchanges by status', async () => {
    const doomed = stack.gateways[0];
    const waitingIds = Array.from({ length: 4 }, (_, i) => `mi-sync-${Date.now()}-${i}`);
    let waitingAnswers: Array<PromiseSettledResult<unknown>> = [];
    const report = await loadThroughBalancer({
      fault: async () => {
        // Partner answers take 2 s for a moment, so the exchanges are waiting on the gateway when it dies.
        await setPartnerFault('latency', { latencyMs: 2000 });
        const waiting = Promise.allSettled(waitingIds.map((id, i) => exchange(stack.gatewayUrls[0], id, `${String(2900000010 + i * 10)}`.slice(0, 9) + '2')));
        await sleep(700);
        await doomed.kill();
        await setPartnerFault('none');
        waitingAnswers = await waiting;
      },
      mend: () => stack.startGateway(0),
    });
    // The callers whose gateway died ask the other instance for their message by id.
    const statuses = await Promise.all(
      waitingIds.map((id) =>
        waitFor(`the status of ${id} on the other gateway`, async () => {
          const answer = await httpsRequest(`${stack.gatewayUrls[1]}/v1/messages/${id}`, { identity: 'pensions' });
          return answer.status === 200 && answer.body.status === 'replied' ? answer.body : undefined;
        }, 60000),
      ),
    );
    const cutOff = waitingAnswers.filter((answer) => answer.status === 'rejected').length;
    print(
      `a gateway instance killed mid-load: ${figures(report)}; ${waitingIds.length} synchronous exchanges were waiting on it ` +
        `(${cutOff} cut off), ${statuses.length} answered by status on the other instance`,
    );
    expectNothingLost(report);
    expect(report.duplicated).toBe(0);
    expect(cutOff).toBe(waitingIds.length);
    for (const status of statuses) expect(status.reply?.payload).toContain('taxpayerKind');
  }, 240000);

  it('hands a killed dispatcher instance\'s partitions to the other, losing nothing', async () => {
    const [doomed, survivor] = stack.dispatchers;
    const before = await deliveriesPerDispatcher();
    const duplicatesBefore = await partnerDuplicates(stack);
    const report = await loadThroughBalancer({ fault: () => doomed.kill(), mend: () => restartDispatcher(stack, doomed) });
    const survivorDelivered = ((await deliveriesPerDispatcher()).get(survivor.name) ?? 0) - (before.get(survivor.name) ?? 0);
    print(
      `a dispatcher instance killed mid-load hands over to the other: ${figures(report)}; the surviving instance delivered ${survivorDelivered}` +
        ` (partner-side duplicates, dropped by X-Road id: ${(await partnerDuplicates(stack)) - duplicatesBefore})`,
    );
    expectNothingLost(report);
    // At-least-once towards the partner: only a message the killed instance had sent and not yet recorded can go
    // again (at most the partner's maxConcurrency of 8 connections on the wire), with the same X-Road id.
    expect(report.duplicated).toBeLessThanOrEqual(8);
    expect(survivorDelivered).toBeGreaterThan(0);
  }, 240000);

  it('applies a revocation made through one gateway instance on the other within one second', async () => {
    const submit = (url: string) =>
      httpsRequest(`${url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ service: 'tax-service/GetTaxpayer', payload: { voen: '2900000012' } }),
        identity: 'benefits',
      });
    const admin = (url: string, action: 'grant' | 'revoke') =>
      httpsRequest(`${url}/v1/admin/access-rights/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${OPERATOR_TOKEN}` },
        body: JSON.stringify({ client: 'MLSP/benefits', service: 'tax-service/GetTaxpayer', reason: 'multi-instance test' }),
      });
    // The other instance has just used the right (anything it caches is warm).
    expect((await submit(stack.gatewayUrls[1])).status).toBe(202);
    const revoked = await admin(stack.adminUrls[0], 'revoke');
    expect(revoked.status).toBe(200);
    const revokedAt = Date.now();
    let refused = await submit(stack.gatewayUrls[1]);
    while (refused.status !== 403 && Date.now() - revokedAt < 5000) {
      await sleep(50);
      refused = await submit(stack.gatewayUrls[1]);
    }
    const elapsed = Date.now() - revokedAt;
    print(`a revocation made through one gateway instance applies on the other instance after ${refused.status === 403 ? `${elapsed} ms` : `more than ${elapsed} ms`} (${refused.status} ${refused.body?.code ?? ''})`);
    await admin(stack.adminUrls[0], 'grant');
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('ACCESS_DENIED');
    expect(elapsed).toBeLessThan(1000);
  }, 60000);

  it('brings the reply of a synchronous exchange to the instance that waits for it, whichever instance consumed it', async () => {
    // Exchanges on both gateway instances at once; the two dispatchers deliver them and publish the replies, which every
    // gateway instance reads (a consumer group of its own) and only the waiting one answers.
    const ids = Array.from({ length: 12 }, (_, i) => `mi-exchange-${Date.now()}-${i}`);
    const answers = await Promise.all(ids.map((id, i) => exchange(stack.gatewayUrls[i % 2], id, `${String(2900000100 + i * 10)}`.slice(0, 9) + '2')));
    const answered = answers.filter((answer) => answer.status === 200 && answer.body.messageType === 'taxpayer-lookup-reply').length;
    // Inbound: the portal calls through a balancer over the two partner-endpoint instances; the callbacks are delivered by
    // whichever instance holds the inbound partition, the reply comes back through Kafka to the instance that waits.
    const calls = await Promise.all(
      Array.from({ length: 6 }, () => simulator(stack.simulatorUrls['egov-portal'], '/_sim/call', { operation: 'GetPensionEntitlement', fin: '5ZJBKQ2' })),
    );
    const inboundAnswered = calls.filter((call) => call.httpStatus === 200 && call.verified === true).length;
    print(
      `replies reach the waiting instance: ${answered} of ${ids.length} synchronous exchanges over two gateway instances answered, ` +
        `${inboundAnswered} of ${calls.length} portal calls over two partner-endpoint instances answered and signed`,
    );
    expect(answered).toBe(ids.length);
    expect(inboundAnswered).toBe(calls.length);
  }, 120000);
});
