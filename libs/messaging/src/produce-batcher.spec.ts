import { BatchedSend, ProduceBatcher, ProducerQueueFull } from './produce-batcher';

interface Flight {
  sends: Array<BatchedSend<string>>;
  finish: (error?: Error) => void;
}

/** A flush the test finishes by hand, recording how many were in flight at once. */
function controlledFlush() {
  const flights: Flight[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const flush = (sends: Array<BatchedSend<string>>) =>
    new Promise<void>((resolve, reject) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      flights.push({
        sends,
        finish: (error) => {
          inFlight -= 1;
          if (error) reject(error);
          else resolve();
        },
      });
    });
  return { flights, flush, maxInFlight: () => maxInFlight };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const options = { maxRequestBytes: 100, maxQueuedBytes: 1000 };

describe('ProduceBatcher', () => {
  it('sends at once when idle and gathers what arrives meanwhile into the next request, one in flight', async () => {
    const { flights, flush, maxInFlight } = controlledFlush();
    const batcher = new ProduceBatcher(flush, options);
    const first = batcher.send('t1', ['a'], 10);
    const rest = [batcher.send('t1', ['b'], 10), batcher.send('t2', ['c'], 10), batcher.send('t1', ['d', 'e'], 10)];
    await tick();
    expect(flights).toHaveLength(1);
    expect(flights[0].sends.map((s) => s.messages)).toEqual([['a']]);
    flights[0].finish();
    await first;
    await tick();
    expect(flights).toHaveLength(2);
    expect(flights[1].sends.map((s) => [s.topic, s.messages])).toEqual([
      ['t1', ['b']],
      ['t2', ['c']],
      ['t1', ['d', 'e']],
    ]);
    flights[1].finish();
    await Promise.all(rest);
    expect(maxInFlight()).toBe(1);
    expect(batcher.stats).toEqual({ requests: 2, sends: 4 });
  });

  it('fails exactly the sends of a failed request and goes on with the next', async () => {
    const { flights, flush } = controlledFlush();
    const batcher = new ProduceBatcher(flush, options);
    const first = batcher.send('t', ['a'], 10);
    const second = batcher.send('t', ['b'], 10);
    await tick();
    flights[0].finish(new Error('broker away'));
    await expect(first).rejects.toThrow('broker away');
    await tick();
    flights[1].finish();
    await expect(second).resolves.toBeUndefined();
  });

  it('keeps a request under the byte limit, but sends a single larger send alone', async () => {
    const { flights, flush } = controlledFlush();
    const batcher = new ProduceBatcher(flush, options);
    const sends = [batcher.send('t', ['x'], 10), batcher.send('t', ['big'], 150), batcher.send('t', ['y'], 60), batcher.send('t', ['z'], 50)];
    for (let i = 0; i < 4; i += 1) {
      await tick();
      flights[flights.length - 1]?.finish();
    }
    await Promise.all(sends);
    expect(flights.map((f) => f.sends.flatMap((s) => s.messages))).toEqual([['x'], ['big'], ['y'], ['z']]);
  });

  it('refuses a send at once when too much is already waiting, and takes sends again once it drained', async () => {
    const { flights, flush } = controlledFlush();
    const batcher = new ProduceBatcher(flush, { maxRequestBytes: 1000, maxQueuedBytes: 100 });
    const first = batcher.send('t', ['a'], 60);
    await tick();
    const waiting = batcher.send('t', ['b'], 60);
    await expect(batcher.send('t', ['c'], 60)).rejects.toBeInstanceOf(ProducerQueueFull);
    flights[0].finish();
    await first;
    await tick();
    flights[1].finish();
    await waiting;
    const later = batcher.send('t', ['d'], 60);
    await tick();
    flights[2].finish();
    await expect(later).resolves.toBeUndefined();
  });
});
