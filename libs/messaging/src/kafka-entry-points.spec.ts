import { ReadinessRegistry } from '@korpu/observability';
import { KafkaEntryPoints } from './kafka-entry-points';
import { IncomingMessage, MessageConsumerFactory, SubscriptionOptions } from './messaging.ports';

class CapturingConsumers {
  readonly subscribed: SubscriptionOptions[] = [];
  stopped = 0;
  async subscribe(options: SubscriptionOptions) {
    this.subscribed.push(options);
    return { stop: async () => void (this.stopped += 1) };
  }
}

const record = (value: string): IncomingMessage => ({ topic: 't', partition: 0, offset: '7', key: null, headers: {}, value: Buffer.from(value), timestamp: 0 });

function setUp() {
  const consumers = new CapturingConsumers();
  const readiness = new ReadinessRegistry();
  const entryPoints = new KafkaEntryPoints(consumers as unknown as MessageConsumerFactory, readiness);
  const handled: number[] = [];
  const setAside: string[] = [];
  const entry = {
    name: 'numbers',
    groupId: 'g',
    topics: ['t'],
    concurrency: 3,
    decode: (r: IncomingMessage) => {
      const n = Number(r.value.toString());
      if (Number.isNaN(n)) throw new Error('not a number');
      return n;
    },
    undecodable: async (r: IncomingMessage, error: unknown) => void setAside.push(`${r.value.toString()}: ${(error as Error).message}`),
    handle: async (n: number) => void handled.push(n),
  };
  return { consumers, readiness, entryPoints, handled, setAside, entry };
}

describe('KafkaEntryPoints', () => {
  it('is not ready before the entry point joined its group, and ready after', async () => {
    const { readiness, entryPoints, entry, consumers } = setUp();
    const opening = entryPoints.open(entry);
    // Registered before subscribing: a subscription that never comes keeps the app not ready.
    expect((await readiness.evaluate()).checks['numbers-subscription']).toMatch(/^down/);
    await opening;
    expect((await readiness.evaluate()).checks['numbers-subscription']).toBe('up');
    expect(consumers.subscribed[0]).toMatchObject({ groupId: 'g', topics: ['t'], partitionsConsumedConcurrently: 3 });
  });

  it('hands decoded values to the handler and sets aside what it cannot decode, without failing the record', async () => {
    const { consumers, entryPoints, entry, handled, setAside } = setUp();
    await entryPoints.open(entry);
    const handler = consumers.subscribed[0].handler;
    await handler(record('41'));
    await expect(handler(record('forty-two'))).resolves.toBeUndefined();
    expect(handled).toEqual([41]);
    expect(setAside).toEqual(['forty-two: not a number']);
  });

  it('lets a handler failure through, so the record is delivered again', async () => {
    const { consumers, entryPoints, entry } = setUp();
    await entryPoints.open({ ...entry, handle: async () => Promise.reject(new Error('database away')) });
    await expect(consumers.subscribed[0].handler(record('1'))).rejects.toThrow('database away');
  });

  it('refuses to open one entry point twice and stops every one before shutdown', async () => {
    const { consumers, entryPoints, entry, readiness } = setUp();
    await entryPoints.open(entry);
    await entryPoints.open({ ...entry, name: 'others' });
    await expect(entryPoints.open(entry)).rejects.toThrow('open already');
    await entryPoints.beforeApplicationShutdown();
    expect(consumers.stopped).toBe(2);
    expect(entryPoints.isOpen('numbers')).toBe(false);
    expect((await readiness.evaluate()).ready).toBe(false);
  });
});
