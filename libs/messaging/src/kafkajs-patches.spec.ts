/**
 * patches/kafkajs+2.2.4.patch (bench profile, #12): the produce encoder takes buffers that are not zero-filled, and
 * the record batch checksum (CRC-32C) goes eight bytes per step. Neither may change a byte that reaches the broker.
 * The fetcher hands batches over without waiting for them, leaving out of its fetches the partitions still in flight.
 * The request queue arms no timer when nothing waits (upstream: a 1 ms timer re-armed for ever on every connection).
 */
type Crc = (buffer: Buffer) => number;
type Encoded = { buffer: Buffer };
type RecordBatchFn = (options: Record<string, unknown>) => Promise<Encoded>;
type RecordFn = (options: Record<string, unknown>) => Encoded;

const crc32C = jest.requireActual<Crc>('kafkajs/src/protocol/recordBatch/crc32C');
const { RecordBatch } = jest.requireActual<{ RecordBatch: RecordBatchFn }>('kafkajs/src/protocol/recordBatch/v0');
const Record = jest.requireActual<RecordFn>('kafkajs/src/protocol/recordBatch/record/v0');

/** CRC-32C bit by bit, as RFC 3720 defines it (reflected polynomial 0x82F63B78). */
function referenceCrc32C(buffer: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of buffer) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Deterministic bytes (no I/O, no randomness): a linear congruential sequence. */
function bytes(length: number, seed: number): Buffer {
  const buffer = Buffer.alloc(length);
  let state = seed;
  for (let i = 0; i < length; i += 1) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    buffer[i] = state >>> 24;
  }
  return buffer;
}

async function encodeBatch(): Promise<Buffer> {
  const records = Array.from({ length: 5 }, (_, i) =>
    Record({
      offsetDelta: i,
      timestampDelta: i * 3,
      key: Buffer.from(`MLSP/pensions:corr-${i}`),
      value: bytes(1000 + i * 37, i + 1),
      headers: { 'korpu-message-id': `01KTEST${i}`, 'korpu-client': 'MLSP/pensions', traceparent: ['a', 'bé'] },
    }),
  );
  const batch = await RecordBatch({
    firstTimestamp: 1764000000000,
    maxTimestamp: 1764000000012,
    lastOffsetDelta: 4,
    producerEpoch: 0,
    firstSequence: 42,
    records,
  });
  return Buffer.from(batch.buffer);
}

describe('kafkajs as patched', () => {
  it('computes CRC-32C: the standard check value and the bit-by-bit result at every length around the 8-byte steps', () => {
    expect(crc32C(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32C(Buffer.alloc(0))).toBe(0);
    for (let length = 1; length <= 70; length += 1) {
      const buffer = bytes(length, length);
      expect(crc32C(buffer)).toBe(referenceCrc32C(buffer));
    }
    const batchSized = bytes(9000, 7);
    expect(crc32C(batchSized)).toBe(referenceCrc32C(batchSized));
  });

  it('encodes a record batch to the same bytes whatever the memory it is given held before', async () => {
    const allocUnsafe = Buffer.allocUnsafe.bind(Buffer);
    const encodings: Buffer[] = [];
    for (const fill of [0x00, 0xaa, 0x55]) {
      const spy = jest.spyOn(Buffer, 'allocUnsafe').mockImplementation((size: number) => allocUnsafe(size).fill(fill));
      try {
        encodings.push(await encodeBatch());
        expect(spy).toHaveBeenCalled();
      } finally {
        spy.mockRestore();
      }
    }
    expect(encodings[1].equals(encodings[0])).toBe(true);
    expect(encodings[2].equals(encodings[0])).toBe(true);
    // The checksum in the batch header (after FirstOffset int64, Length int32, epoch int32, magic int8) covers the rest.
    expect(encodings[0].readUInt32BE(17)).toBe(referenceCrc32C(encodings[0].subarray(21)));
  });
});

/** What the fetcher reads of a kafkajs Batch: where it was fetched from, its last offset, whether it holds anything. */
interface FakeBatch {
  topic: string;
  partition: number;
  offset: number;
  fetchedOffset: string;
  lastOffset(): string;
  isEmptyIncludingFiltered(): boolean;
  isEmptyDueToLogCompactedMessages(): boolean;
}
interface FetchOptions {
  exclude: Map<string, number>;
  fetchFrom: Map<string, string>;
  maxWaitTime?: number;
  requested?: number;
}
type CreateFetcher = (options: {
  nodeId: number;
  workerQueue: { push: (batch: FakeBatch) => Promise<void> };
  partitionAssignments: Map<string, number>;
  fetch: (nodeId: number, options: FetchOptions) => Promise<FakeBatch[]>;
  isCurrent?: (batch: FakeBatch) => boolean;
  logger: unknown;
}) => { start: () => Promise<void>; stop: () => Promise<void> };

const createFetcher = jest.requireActual<CreateFetcher>('kafkajs/src/consumer/fetcher');
const quietLogger = { namespace: () => ({ info: () => undefined, debug: () => undefined }) };

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  waitingHandlers.push(resolve);
  return { promise, resolve, reject };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (at most a second) until `condition` holds; the assertion after it says whether it did. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; waited < 1000 && !condition(); waited += 1) await sleep(1);
}

/** One fetch as the fetcher asked it: partitions left out, partitions fetched ahead (key → offset), the broker's wait. */
interface AskedFetch {
  excluded: string[];
  ahead: Record<string, string>;
  maxWaitTime?: number;
}

/**
 * A fetcher over two partitions (p0, p1): `script` answers each fetch in turn (then an empty one), `handle` is the
 * worker, `isCurrent` the consumer group's check of a batch's offset. Records what each fetch asked for and when
 * batches started and ended.
 */
function fetcherOver(
  script: Array<(options: FetchOptions) => FakeBatch[]>,
  handle: (batch: FakeBatch) => Promise<void>,
  isCurrent: (batch: FakeBatch) => boolean = () => true,
) {
  const requests: AskedFetch[] = [];
  const events: string[] = [];
  const fetcher = createFetcher({
    nodeId: 1,
    partitionAssignments: new Map(),
    logger: quietLogger,
    isCurrent,
    workerQueue: {
      push: async (batch) => {
        events.push(`start p${batch.partition}@${batch.offset}`);
        await handle(batch);
        events.push(`end p${batch.partition}@${batch.offset}`);
      },
    },
    fetch: async (_nodeId, options) => {
      const left = (key: string): boolean => options.exclude.has(key) && !options.fetchFrom.has(key);
      requests.push({
        excluded: ['t|0', 't|1'].filter(left),
        ahead: Object.fromEntries([...options.fetchFrom].sort()),
        maxWaitTime: options.maxWaitTime,
      });
      const step = script.shift();
      options.requested = ['t|0', 't|1'].filter((key) => !left(key)).length;
      if (requests.length > 1000) throw new Error('the fetcher is spinning');
      // An answer at once when the script has one; otherwise the broker's wait (with nothing new) is a few ms.
      if (step) await tick();
      else await new Promise((resolve) => setTimeout(resolve, 2));
      return step ? step(options) : [];
    },
  });
  started.push(fetcher);
  return { fetcher, requests, events };
}

/** Fetchers of the test, stopped after it whatever it asserted (a fetcher left running would loop for ever). */
const started: Array<{ stop: () => Promise<void> }> = [];
/** Handlers still waiting: let go after the test, or a stop would wait for them for ever. */
const waitingHandlers: Array<() => void> = [];
afterEach(async () => {
  waitingHandlers.splice(0).forEach((resolve) => resolve());
  await Promise.all(started.splice(0).map((fetcher) => fetcher.stop()));
});

/** A batch of `count` messages of partition `partition` from `offset`, as fetched from `offset`. */
const batch = (partition: number, offset: number, count = 1): FakeBatch => ({
  topic: 't',
  partition,
  offset,
  fetchedOffset: String(offset),
  lastOffset: () => String(offset + count - 1),
  isEmptyIncludingFiltered: () => count === 0,
  isEmptyDueToLogCompactedMessages: () => false,
});

describe('kafkajs fetcher as patched', () => {
  it("keeps fetching the other partitions while one partition's batch is in flight", async () => {
    const slow = deferred();
    const { fetcher, requests, events } = fetcherOver(
      [() => [batch(0, 0, 3), batch(1, 0)], () => [batch(1, 1)], () => [batch(1, 2)]],
      (b) => (b.partition === 0 ? slow.promise : Promise.resolve()),
    );
    const running = fetcher.start();
    await until(() => events.includes('end p1@2'));
    // p1's next batches were fetched and handled while p0's first one was still in flight.
    expect(events).toContain('end p1@2');
    expect(events).not.toContain('end p0@0');
    expect(requests[0]).toEqual({ excluded: [], ahead: {}, maxWaitTime: undefined });
    // p0 is asked for from the offset after its batch in flight (0..2): nothing is left out, and the broker may hold
    // the fetch for 100 ms (a failure of the batch in flight is acted on within that), not only 20.
    expect(requests[1].ahead['t|0']).toBe('3');
    expect(requests[1].maxWaitTime).toBe(100);
    slow.resolve();
    await fetcher.stop();
    await running;
    expect(events).toContain('end p0@0');
  });

  it('hands a batch fetched ahead over only once the one in flight before it is done, in offset order', async () => {
    const slow = deferred();
    const { fetcher, requests, events } = fetcherOver([() => [batch(0, 0, 2)], () => [batch(0, 2, 2)]], (b) =>
      b.offset === 0 ? slow.promise : Promise.resolve(),
    );
    const running = fetcher.start();
    await until(() => requests.length >= 3);
    // Fetched ahead and waiting: p0 is left out of the next fetch, which waits on the broker only briefly.
    expect(requests[1]).toEqual({ excluded: [], ahead: { 't|0': '2' }, maxWaitTime: 100 });
    expect(requests[2]).toEqual({ excluded: ['t|0'], ahead: {}, maxWaitTime: 20 });
    expect(events).toEqual(['start p0@0']);
    slow.resolve();
    await until(() => events.includes('end p0@2'));
    expect(events).toEqual(['start p0@0', 'end p0@0', 'start p0@2', 'end p0@2']);
    await fetcher.stop();
    await running;
  });

  it("drops a batch fetched ahead when the partition's next offset is no longer the one it was fetched from", async () => {
    const slow = deferred();
    // As if p0@0 had stopped before its last message: the consumer group's next offset is not 2, so p0@2 is stale.
    const { fetcher, requests, events } = fetcherOver(
      [() => [batch(0, 0, 2)], () => [batch(0, 2, 2)]],
      (b) => (b.offset === 0 ? slow.promise : Promise.resolve()),
      (b) => b.offset !== 2,
    );
    const running = fetcher.start();
    await until(() => requests.length >= 3);
    slow.resolve();
    await until(() => events.includes('end p0@0'));
    const before = requests.length;
    await until(() => requests.length > before + 1);
    expect(events).toEqual(['start p0@0', 'end p0@0']);
    // p0 is asked for again, from the offset its consumer group resolved (no offset given here, nothing left out).
    expect(requests[requests.length - 1]).toEqual({ excluded: [], ahead: {}, maxWaitTime: undefined });
    await fetcher.stop();
    await running;
  });

  it('never hands over a batch of a partition in flight that was not fetched from the offset after it', async () => {
    const slow = deferred();
    const { fetcher, events } = fetcherOver([() => [batch(0, 0)], () => [batch(0, 0), batch(1, 0)]], (b) =>
      b.partition === 0 && b.offset === 0 ? slow.promise : Promise.resolve(),
    );
    const running = fetcher.start();
    await until(() => events.includes('end p1@0'));
    expect(events).toContain('end p1@0');
    slow.resolve();
    await fetcher.stop();
    await running;
    expect(events.filter((e) => e.startsWith('start p0'))).toEqual(['start p0@0']);
  });

  it('waits for a batch to be done, without fetching, while every partition has a batch waiting', async () => {
    const slow0 = deferred();
    const slow1 = deferred();
    const { fetcher, requests, events } = fetcherOver([() => [batch(0, 0), batch(1, 0)], () => [batch(0, 1), batch(1, 1)]], (b) =>
      b.offset > 0 ? Promise.resolve() : b.partition === 0 ? slow0.promise : slow1.promise,
    );
    const running = fetcher.start();
    await until(() => requests.length >= 3);
    await sleep(30);
    // The first fetch, one fetching both ahead, then one that asked for nothing (both waiting), and no other.
    expect(requests).toHaveLength(3);
    expect(requests[2].excluded).toEqual(['t|0', 't|1']);
    slow1.resolve();
    await until(() => events.includes('end p1@1') && requests.length >= 4);
    expect(requests[3].excluded).toEqual(['t|0']);
    slow0.resolve();
    await fetcher.stop();
    await running;
  });

  it('ends a stop only once the batches in flight are done, and never hands over what waits', async () => {
    const slow = deferred();
    const { fetcher, events } = fetcherOver([() => [batch(0, 0)], () => [batch(0, 1)]], () => slow.promise);
    const running = fetcher.start();
    await until(() => events.includes('start p0@0'));
    await sleep(5);
    let stopped = false;
    const stopping = fetcher.stop().then(() => (stopped = true));
    await sleep(20);
    expect(stopped).toBe(false);
    slow.resolve();
    await stopping;
    await running;
    expect(events).toEqual(['start p0@0', 'end p0@0']);
  });

  it('takes no more batches after a failure, waits for those in flight, then fails with it', async () => {
    const slow = deferred();
    const { fetcher, events, requests } = fetcherOver(
      [() => [batch(0, 0), batch(1, 0)], () => [], () => [batch(1, 1)]],
      (b) => (b.partition === 1 ? Promise.reject(new Error('handler failed')) : slow.promise),
    );
    const running = fetcher.start();
    const outcome = running.then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    await until(() => events.includes('start p1@0'));
    await sleep(20);
    const fetchesAfterFailure = requests.length;
    expect(events).not.toContain('start p1@1');
    let settled = false;
    void outcome.then(() => (settled = true));
    await sleep(20);
    expect(settled).toBe(false); // p0's batch is still in flight
    slow.resolve();
    expect(await outcome).toBe('handler failed');
    expect(requests.length).toBe(fetchesAfterFailure);
    expect(events).toContain('end p0@0');
  });
});

describe('kafkajs request queue as patched', () => {
  type Queue = {
    pending: unknown[];
    throttleCheckTimeoutId: NodeJS.Timeout | null;
    checkPendingRequests(): void;
    scheduleCheckPendingRequests(): void;
    destroy(): void;
  };
  const RequestQueue = jest.requireActual<new (options: Record<string, unknown>) => Queue>('kafkajs/src/network/requestQueue');
  const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const queue = (): Queue => new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 30000, enforceRequestTimeout: false, clientId: 'spec', broker: 'spec:9092', logger: silent });

  it('arms no timer when nothing is pending (upstream re-armed a 1 ms check for ever after every answer)', () => {
    const q = queue();
    try {
      q.checkPendingRequests(); // what every answer from the broker runs
      expect(q.throttleCheckTimeoutId).toBeFalsy();
    } finally {
      q.destroy();
    }
  });

  it('still schedules a check while a request waits for its turn', () => {
    const q = queue();
    try {
      q.pending.push({ correlationId: 1 }); // a request waiting behind the in-flight limit
      q.scheduleCheckPendingRequests();
      expect(q.throttleCheckTimeoutId).toBeTruthy();
    } finally {
      q.pending.length = 0;
      q.destroy();
    }
  });
});
