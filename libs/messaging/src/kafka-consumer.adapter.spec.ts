import type { Kafka } from 'kafkajs';
import { KafkaConsumerAdapter } from './kafka-consumer.adapter';
import { KafkaOptions } from './kafka.options';
import { MessageHandler } from './messaging.ports';

type RunConfig = Record<string, unknown> & { eachMessage?: (payload: unknown) => Promise<void>; eachBatch?: (payload: unknown) => Promise<void> };

/** kafkajs's consumer as far as the adapter uses it: run() hands over its config (eachMessage or eachBatch), which the test then calls. */
function fakeKafka() {
  const captured: { config: RunConfig } = { config: {} };
  const consumer = {
    events: { CRASH: 'consumer.crash' },
    on: jest.fn(),
    connect: jest.fn(async () => undefined),
    subscribe: jest.fn(async () => undefined),
    disconnect: jest.fn(async () => undefined),
    run: jest.fn(async (config: RunConfig) => {
      captured.config = config;
    }),
  };
  const kafka = { consumer: jest.fn(() => consumer) } as unknown as Kafka;
  return { kafka, captured, deliver: (payload: unknown) => captured.config.eachMessage!(payload) };
}

const options = { sessionTimeoutMs: 6000 } as KafkaOptions; // heartbeat interval: 6000 / 5 = 1200 ms

async function subscribed(handler: MessageHandler) {
  const { kafka, deliver } = fakeKafka();
  await new KafkaConsumerAdapter(kafka, options).subscribe({ groupId: 'g', topics: ['t'], handler });
  const heartbeat = jest.fn(async () => undefined);
  const message = { key: null, value: Buffer.from('x'), headers: {}, offset: '7', timestamp: '0' };
  return { heartbeat, run: () => deliver({ topic: 't', partition: 0, message, heartbeat, pause: () => () => undefined }) };
}

describe('KafkaConsumerAdapter: heartbeats while a handler runs', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('heartbeats every heartbeat interval while a handler waits 15 s, so the session of 6 s never lapses', async () => {
    let finish!: () => void;
    const { heartbeat, run } = await subscribed(() => new Promise<void>((resolve) => (finish = resolve)));
    const done = run();
    await jest.advanceTimersByTimeAsync(15000);
    expect(heartbeat).toHaveBeenCalledTimes(12);
    finish();
    await done;
    await jest.advanceTimersByTimeAsync(5000);
    expect(heartbeat).toHaveBeenCalledTimes(12); // none once the handler is over
  });

  it('lets a handled message be resolved when a heartbeat meets a rebalance, during or after the handler', async () => {
    const { heartbeat, run } = await subscribed(() => new Promise<void>((resolve) => setTimeout(resolve, 3000)));
    heartbeat.mockRejectedValue(Object.assign(new Error('The group is rebalancing'), { type: 'REBALANCE_IN_PROGRESS' }));
    const done = run();
    await jest.advanceTimersByTimeAsync(3000);
    await expect(done).resolves.toBeUndefined();
    expect(heartbeat).toHaveBeenCalledTimes(2);
  });

  it('stops heartbeating when the handler fails, and lets the failure through', async () => {
    const { heartbeat, run } = await subscribed(async () => {
      await new Promise((resolve) => setTimeout(resolve, 2500));
      throw new Error('partner down');
    });
    const done = run();
    const failed = expect(done).rejects.toThrow('partner down');
    await jest.advanceTimersByTimeAsync(2500);
    await failed;
    await jest.advanceTimersByTimeAsync(5000);
    expect(heartbeat).toHaveBeenCalledTimes(2);
  });
});

describe('KafkaConsumerAdapter: several keys of a partition at once (keysConsumedConcurrently)', () => {
  async function batchSubscribed(handler: MessageHandler) {
    const { kafka, captured } = fakeKafka();
    await new KafkaConsumerAdapter(kafka, options).subscribe({ groupId: 'g', topics: ['t'], handler, keysConsumedConcurrently: 4 });
    const resolved: string[] = [];
    const messages = ['a', 'b', 'a'].map((key, i) => ({ key: Buffer.from(key), value: Buffer.from(`v${i}`), headers: {}, offset: String(10 + i), timestamp: '0' }));
    const run = () =>
      captured.config.eachBatch!({
        batch: { topic: 't', partition: 3, messages },
        resolveOffset: (offset: string) => resolved.push(offset),
        heartbeat: async () => undefined,
        pause: () => () => undefined,
        isRunning: () => true,
        isStale: () => false,
      });
    return { run, resolved, runConfig: captured.config };
  }

  it('hands every record over with its key, resolving offsets itself (no auto-resolve of the batch)', async () => {
    const seen: string[] = [];
    const { run, resolved, runConfig } = await batchSubscribed(async (m) => void seen.push(`${m.key}@${m.offset}:${m.value.toString()}`));
    await run();
    expect(runConfig.eachBatchAutoResolve).toBe(false);
    expect(seen.sort()).toEqual(['a@10:v0', 'a@12:v2', 'b@11:v1']);
    expect(resolved[resolved.length - 1]).toBe('12');
  });

  it('throws the failure so the batch is fetched again from the first record not handled', async () => {
    const { run, resolved } = await batchSubscribed(async (m) => {
      if (m.offset === '11') throw new Error('database down');
    });
    await expect(run()).rejects.toThrow('database down');
    expect(resolved).toEqual(['10']);
  });
});
