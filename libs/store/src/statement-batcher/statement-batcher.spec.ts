import { StatementBatcher } from './statement-batcher';

/** A write function that holds each batch until released, recording what it was given. */
function heldWrites(fail: (items: string[]) => boolean = () => false) {
  const batches: string[][] = [];
  const releases: Array<() => void> = [];
  const write = (items: string[]) => {
    batches.push(items);
    return new Promise<string[]>((resolve, reject) => {
      releases.push(() => (fail(items) ? reject(new Error(`bad ${items.join(',')}`)) : resolve(items.map((item) => `done ${item}`))));
    });
  };
  const releaseNext = async () => {
    while (releases.length === 0) await new Promise((r) => setImmediate(r));
    releases.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { batches, write, releaseNext };
}

const byKey = (item: string) => item.split(':')[0];

describe('StatementBatcher', () => {
  it('sends a write to an idle batcher at once and gathers the writes that arrive meanwhile into the next batch', async () => {
    const held = heldWrites();
    const batcher = new StatementBatcher(held.write, { maxBatch: 100, key: byKey });
    const first = batcher.submit('a:1');
    const others = ['b:1', 'c:1', 'd:1'].map((item) => batcher.submit(item));
    expect(held.batches).toEqual([['a:1']]);
    await held.releaseNext();
    expect(await first).toBe('done a:1');
    expect(held.batches).toEqual([['a:1'], ['b:1', 'c:1', 'd:1']]);
    await held.releaseNext();
    expect(await Promise.all(others)).toEqual(['done b:1', 'done c:1', 'done d:1']);
    expect(batcher.stats).toEqual({ statements: 2, writes: 4 });
  });

  it('with gatherTurn, gathers the writes made in the same event-loop turn as the first into its batch', async () => {
    const batches: string[][] = [];
    const batcher = new StatementBatcher(async (items: string[]) => (batches.push(items), items), { maxBatch: 100, gatherTurn: true });
    const first = batcher.submit('a');
    expect(batches).toEqual([]); // not before the turn ends
    const same = ['b', 'c'].map((item) => batcher.submit(item));
    expect(await Promise.all([first, ...same])).toEqual(['a', 'b', 'c']);
    expect(batches).toEqual([['a', 'b', 'c']]);
    expect(batcher.stats).toEqual({ statements: 1, writes: 3 });
  });

  it('never puts two writes of one key in one batch, and keeps their order', async () => {
    const held = heldWrites();
    const batcher = new StatementBatcher(held.write, { maxBatch: 100, key: byKey });
    const all = ['x:0', 'a:1', 'b:1', 'a:2', 'c:1'].map((item) => batcher.submit(item));
    for (let i = 0; i < 3; i++) await held.releaseNext();
    await Promise.all(all);
    expect(held.batches).toEqual([['x:0'], ['a:1', 'b:1'], ['a:2', 'c:1']]);
  });

  it('bounds a batch by maxBatch', async () => {
    const held = heldWrites();
    const batcher = new StatementBatcher(held.write, { maxBatch: 2, key: byKey });
    const all = ['a', 'b', 'c', 'd', 'e'].map((item) => batcher.submit(item));
    for (let i = 0; i < 3; i++) await held.releaseNext();
    await Promise.all(all);
    expect(held.batches).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
  });

  it('fails only the bad write of a failed batch: the others are written one by one', async () => {
    const held = heldWrites((items) => items.includes('bad'));
    const batcher = new StatementBatcher(held.write, { maxBatch: 100, key: byKey });
    const first = batcher.submit('first');
    const good = batcher.submit('good');
    const bad = batcher.submit('bad').catch((error: unknown) => error);
    const later = batcher.submit('later');
    for (let i = 0; i < 5; i++) await held.releaseNext();
    expect(await first).toBe('done first');
    expect(await good).toBe('done good');
    expect(await bad).toEqual(new Error('bad bad'));
    expect(await later).toBe('done later');
    expect(held.batches).toEqual([['first'], ['good', 'bad', 'later'], ['good'], ['bad'], ['later']]);
  });

  it('refuses a write function that answers the wrong number of results (each write retried alone)', async () => {
    const batcher = new StatementBatcher(async (items: string[]) => (items.length > 1 ? [items[0]] : items), { maxBatch: 100, key: byKey });
    const all = ['a', 'b', 'c'].map((item) => batcher.submit(item));
    expect(await Promise.all(all)).toEqual(['a', 'b', 'c']);
    // ['a'] alone (idle), ['b', 'c'] answered one result, then 'b' and 'c' alone.
    expect(batcher.stats.statements).toBe(4);
  });

  it('fails every write of a batch at once when the database is unavailable (no write waits for it alone)', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    let statements = 0;
    const batcher = new StatementBatcher(async (items: string[]) => {
      statements += 1;
      if (items.length > 1 || items[0] !== 'first') throw refused;
      return items;
    }, { maxBatch: 100 });
    const first = batcher.submit('first');
    const rest = ['a', 'b', 'c'].map((item) => batcher.submit(item).catch((error: unknown) => error));
    expect(await first).toBe('first');
    expect(await Promise.all(rest)).toEqual([refused, refused, refused]);
    expect(statements).toBe(2);
  });
});
