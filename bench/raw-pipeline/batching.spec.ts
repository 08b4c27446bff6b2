import { batching, Record_ } from './batching';

const record = (key: string, bytes = 10): Record_ => ({ key, value: Buffer.alloc(bytes) });

/** A send that resolves when told to, remembering each batch's keys. */
function controlledSend() {
  const batches: string[][] = [];
  const pending: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const send = (records: Record_[]) =>
    new Promise<void>((resolve, reject) => {
      batches.push(records.map((r) => r.key));
      pending.push({ resolve, reject });
    });
  return { send, batches, pending };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('batching (raw pipeline micro-batching)', () => {
  it('sends the first record at once and the ones that arrive while it is in flight together as the next batch', async () => {
    const { send, batches, pending } = controlledSend();
    const batched = batching(send);
    const first = batched([record('a')]);
    const later = [batched([record('b')]), batched([record('c')])];
    expect(batches).toEqual([['a']]);
    pending[0].resolve();
    await first;
    await tick();
    expect(batches).toEqual([['a'], ['b', 'c']]);
    pending[1].resolve();
    await Promise.all(later);
  });

  it('rejects every send of a batch whose produce request failed, and goes on with the next', async () => {
    const { send, batches, pending } = controlledSend();
    const batched = batching(send);
    const first = batched([record('a')]);
    const second = batched([record('b')]);
    const third = batched([record('c')]);
    pending[0].reject(new Error('broker down'));
    await expect(first).rejects.toThrow('broker down');
    await tick();
    pending[1].reject(new Error('still down'));
    await expect(second).rejects.toThrow('still down');
    await expect(third).rejects.toThrow('still down');
    expect(batches).toEqual([['a'], ['b', 'c']]);
  });

  it('splits a batch above the byte limit into produce requests of at most that size', async () => {
    const { send, batches, pending } = controlledSend();
    const batched = batching(send, 1, 25);
    const sends = ['a', 'b', 'c', 'd'].map((key) => batched([record(key, 10)]));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(batches).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    pending.forEach((p) => p.resolve());
    await Promise.all(sends);
  });

  it('with a linger, waits that long and sends what arrived meanwhile as one batch', async () => {
    const { send, batches, pending } = controlledSend();
    const batched = batching(send, 20);
    const sends = [batched([record('a')]), batched([record('b')])];
    expect(batches).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(batches).toEqual([['a', 'b']]);
    pending[0].resolve();
    await Promise.all(sends);
  });
});
