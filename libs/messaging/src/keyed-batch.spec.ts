import { handleKeyedBatch } from './keyed-batch';

interface Rec {
  key: string | null;
  offset: string;
}

const records = (keys: Array<string | null>): Rec[] => keys.map((key, i) => ({ key, offset: String(100 + i) }));
const keyOf = (r: Rec) => r.key;
const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A handler whose calls stay open until the test finishes them, one by one. */
function gatedHandler() {
  const open = new Map<string, () => void>();
  const fail = new Map<string, (error: unknown) => void>();
  const started: string[] = [];
  const handle = (r: Rec) =>
    new Promise<void>((resolve, reject) => {
      started.push(r.offset);
      open.set(r.offset, resolve);
      fail.set(r.offset, reject);
    });
  return {
    handle,
    started,
    finish: async (offset: string) => {
      open.get(offset)!();
      await tick();
    },
    fail: async (offset: string, error: unknown) => {
      fail.get(offset)!(error);
      await tick();
    },
  };
}

describe('handleKeyedBatch', () => {
  it('handles records of different keys at once, bounded by the concurrency', async () => {
    const h = gatedHandler();
    const done = handleKeyedBatch(records(['a', 'b', 'c', 'd']), { concurrency: 3, keyOf, handle: h.handle, resolve: () => undefined });
    await tick();
    expect(h.started).toEqual(['100', '101', '102']);
    await h.finish('101');
    expect(h.started).toEqual(['100', '101', '102', '103']);
    for (const o of ['100', '102', '103']) await h.finish(o);
    await expect(done).resolves.toEqual({ handled: 4 });
  });

  it("keeps one key's records in offset order, never two of one key at once", async () => {
    const h = gatedHandler();
    const done = handleKeyedBatch(records(['a', 'b', 'a', null, null]), { concurrency: 10, keyOf, handle: h.handle, resolve: () => undefined });
    await tick();
    expect(h.started).toEqual(['100', '101', '103']); // a@100, b@101, the keyless lane's first (103)
    await h.finish('101');
    expect(h.started).toEqual(['100', '101', '103']); // a@102 waits for a@100
    await h.finish('100');
    expect(h.started).toEqual(['100', '101', '103', '102']);
    await h.finish('103');
    expect(h.started).toEqual(['100', '101', '103', '102', '104']);
    await h.finish('102');
    await h.finish('104');
    await expect(done).resolves.toEqual({ handled: 5 });
  });

  it('resolves only the contiguous prefix of handled records', async () => {
    const h = gatedHandler();
    const resolved: string[] = [];
    const done = handleKeyedBatch(records(['a', 'b', 'c']), { concurrency: 3, keyOf, handle: h.handle, resolve: (o) => resolved.push(o) });
    await tick();
    await h.finish('102');
    await h.finish('101');
    expect(resolved).toEqual([]); // 100 is still running: nothing may be committed
    await h.finish('100');
    expect(resolved).toEqual(['102']);
    await done;
  });

  it('on a failure starts nothing more, lets started records finish, and returns the failure of the lowest offset', async () => {
    const h = gatedHandler();
    const resolved: string[] = [];
    const done = handleKeyedBatch(records(['a', 'b', 'c', 'a', 'd']), { concurrency: 3, keyOf, handle: h.handle, resolve: (o) => resolved.push(o) });
    await tick();
    expect(h.started).toEqual(['100', '101', '102']);
    await h.fail('101', new Error('database down'));
    await h.fail('102', new Error('later failure'));
    await h.finish('100'); // a@103 is not started after a failure, nor d@104
    const outcome = await done;
    expect(h.started).toEqual(['100', '101', '102']);
    expect(resolved).toEqual(['100']); // the prefix before the first failure
    expect(outcome.handled).toBe(1);
    expect(outcome.failure?.offset).toBe('101');
    expect(String(outcome.failure?.error)).toContain('database down');
  });

  it('stops taking records once told to (consumer stopping, partition taken away)', async () => {
    let stop = false;
    const handled: string[] = [];
    const outcome = await handleKeyedBatch(records(['a', 'a', 'a']), {
      concurrency: 2,
      keyOf,
      shouldStop: () => stop,
      handle: async (r) => {
        handled.push(r.offset);
        stop = true;
      },
      resolve: () => undefined,
    });
    expect(handled).toEqual(['100']);
    expect(outcome).toEqual({ handled: 1 });
  });
});
