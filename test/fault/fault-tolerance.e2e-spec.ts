import * as fs from 'node:fs';
import { ensureTestKafka, ensureTestPostgres, killTestKafka, stopAllApps, stopTestPostgres } from '@korpu/testing';
import { Stack, startStack } from '../support/stack';
import { LoadReport, fastRetryContracts, restartDispatcher, restartGateway, runLoad, sleep } from '../support/load';

/**
 * Fault tests on real processes: each drives a steady load through gateway → Kafka → dispatcher → tax
 * service simulator, breaks one part in the middle, and requires that nothing accepted is lost. A duplicate
 * reaching the partner (same message id, dropped and counted by the simulator) is tolerated only where a
 * dispatcher died between the partner's answer and its own record of it.
 */
let stack: Stack | undefined;
let contractsDir: string;
/** The same, with partner calls that may last 30 s: for a partner slower than the consumer session. */
let slowContractsDir: string;

beforeAll(() => {
  contractsDir = fastRetryContracts();
  slowContractsDir = fastRetryContracts(30000);
});

afterEach(async () => {
  await stack?.stop();
  stack = undefined;
  await stopAllApps();
});

afterAll(() => {
  fs.rmSync(contractsDir, { recursive: true, force: true });
  fs.rmSync(slowContractsDir, { recursive: true, force: true });
});

function expectNothingLost(report: LoadReport): void {
  expect(report.lostIds).toEqual([]);
  expect(report.lost).toBe(0);
  expect(report.delivered).toBe(report.accepted);
}

interface FaultScenario {
  dispatchers: number;
  /** Breaks one part of the running system, and mends it if the scenario says so. */
  fault: (stack: Stack) => Promise<void>;
  /**
   * Duplicates tolerated at the partner (same message id, dropped by it): only when a dispatcher dies, and only the
   * messages it had sent and not yet recorded: at most the partner's maxConcurrency (8 connections) on the wire at
   * that moment, and, at this load, no more answered ones waiting for their record.
   */
  maxDuplicates: number;
  /** Partner calls may last up to 30 s (default: 3 s). */
  slowPartnerCalls?: boolean;
}

const setPartnerFault = (stack: Stack, mode: string, setting: { latencyMs?: number; count?: number } = {}) =>
  fetch(`${stack.simulatorUrls['tax-service'] ?? stack.taxServiceUrl}/_sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ mode, ...setting }),
  });

const scenarios: Array<[string, FaultScenario]> = [
  [
    'the Kafka broker is killed and restarted mid-load',
    {
      dispatchers: 1,
      maxDuplicates: 0,
      fault: async () => {
        await killTestKafka();
        await sleep(3000);
        await ensureTestKafka();
      },
    },
  ],
  [
    'the partner is down for a while, then comes back',
    {
      dispatchers: 1,
      maxDuplicates: 0,
      fault: async (stack) => {
        await setPartnerFault(stack, 'down');
        await sleep(5000);
        await setPartnerFault(stack, 'none');
      },
    },
  ],
  [
    'a dispatcher is killed with SIGKILL mid-delivery and restarted',
    {
      dispatchers: 1,
      maxDuplicates: 8,
      fault: async (stack) => {
        const dispatcher = stack.dispatchers[0];
        await dispatcher.kill();
        await sleep(1000);
        await restartDispatcher(stack, dispatcher);
      },
    },
  ],
  [
    'a dispatcher is stopped gracefully (SIGTERM) mid-load and started again',
    {
      dispatchers: 1,
      // Graceful: the in-flight deliveries finish and are committed before it leaves, so nothing is sent twice.
      maxDuplicates: 0,
      fault: async (stack) => {
        const dispatcher = stack.dispatchers[0];
        await dispatcher.stop();
        await restartDispatcher(stack, dispatcher);
      },
    },
  ],
  [
    'one of two dispatchers in a consumer group dies',
    { dispatchers: 2, maxDuplicates: 8, fault: (stack) => stack.dispatchers[0].kill() },
  ],
  [
    // kafkajs heartbeats only between messages: a handler waiting longer than the session (KAFKA_SESSION_TIMEOUT_MS=6000
    // in test stacks) lost its partitions to the other dispatcher, which sent the same message again.
    'the partner answers after 15 s, longer than the consumer session, to two dispatchers in one group',
    {
      dispatchers: 2,
      maxDuplicates: 0,
      slowPartnerCalls: true,
      fault: async (stack) => {
        await setPartnerFault(stack, 'latency', { latencyMs: 15000, count: 16 });
      },
    },
  ],
  [
    'PostgreSQL restarts mid-load',
    {
      dispatchers: 1,
      maxDuplicates: 0,
      fault: async () => {
        await stopTestPostgres();
        await sleep(2000);
        await ensureTestPostgres();
      },
    },
  ],
  [
    'the gateway is killed right after answering 202',
    {
      dispatchers: 1,
      maxDuplicates: 0,
      fault: async (stack) => {
        await stack.gateway.kill();
        await sleep(1000);
        await restartGateway(stack);
      },
    },
  ],
];

describe('fault tolerance under load', () => {
  // A scenario takes 30-90 s: start, 8 s of load, the fault, then the drain (at most 90 s).
  it.each(scenarios)('loses nothing when %s', async (_name, scenario) => {
    const running = await startStack({ contractsDir: scenario.slowPartnerCalls ? slowContractsDir : contractsDir, dispatchers: scenario.dispatchers });
    stack = running;
    const report = await runLoad(running, { messages: 120, ratePerSecond: 15, faultAfter: 40, fault: () => scenario.fault(running) });
    if (report.lost > 0) {
      // What the gateway and the dispatchers said, to find out why (printed only when something is missing).
      for (const app of [running.gateway, ...running.dispatchers]) process.stdout.write(`--- ${app.name}\n${app.output().slice(-6000)}\n`);
    }
    expectNothingLost(report);
    expect(report.duplicated).toBeLessThanOrEqual(scenario.maxDuplicates);
  }, 240000);
});
