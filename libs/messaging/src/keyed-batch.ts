/**
 * Handles the records of one partition's batch with several keys at once: records of one key one after the other in
 * offset order (a key is a correlation id: its order is the one that matters), records of different keys
 * concurrently, at most `concurrency` at a time. Offsets are resolved only over the contiguous prefix of handled
 * records, so a record is never committed before every record before it in the partition was handled: a crash
 * redelivers from the first record not handled, as one record at a time would (records after it that were handled
 * come again, which at-least-once allows and the handlers' idempotence absorbs).
 *
 * The first failure stops the lanes from taking further records (records already started finish); records of the
 * failed record's key after it are never started, so one key's order holds across the redelivery. The failure of
 * the lowest offset is returned for the caller to throw.
 */
export interface KeyedRecord {
  offset: string;
}

export interface KeyedBatchOptions<R extends KeyedRecord> {
  /** The record's key as text; null for a record without one. */
  keyOf: (record: R) => string | null;
  /** Records of different keys handled at once (at least 1). */
  concurrency: number;
  handle: (record: R) => Promise<void>;
  /** Offset of the last record of the contiguous handled prefix, each time it grows. */
  resolve: (offset: string) => void;
  /** Checked before each record is started: true once the consumer stops or the partition was taken away. */
  shouldStop?: () => boolean;
}

export interface KeyedBatchOutcome {
  /** Records handled (whether or not inside the resolved prefix). */
  handled: number;
  /** The failure of the lowest offset, if any record failed. */
  failure?: { offset: string; error: unknown };
}

/** Lane of records without a key: they keep their order among themselves, as before keys existed. */
const NO_KEY = Symbol('no key');

export async function handleKeyedBatch<R extends KeyedRecord>(records: readonly R[], options: KeyedBatchOptions<R>): Promise<KeyedBatchOutcome> {
  const lanes = new Map<string | typeof NO_KEY, number[]>();
  records.forEach((record, index) => {
    const key = options.keyOf(record) ?? NO_KEY;
    const lane = lanes.get(key);
    if (lane) lane.push(index);
    else lanes.set(key, [index]);
  });
  const done = new Array<boolean>(records.length).fill(false);
  let prefix = 0; // records[0..prefix) handled
  let handled = 0;
  const failures: Array<{ index: number; error: unknown }> = [];
  const queue = [...lanes.values()];
  let next = 0;

  const advance = (): void => {
    const before = prefix;
    while (prefix < records.length && done[prefix]) prefix += 1;
    if (prefix > before) options.resolve(records[prefix - 1].offset);
  };

  const worker = async (): Promise<void> => {
    while (next < queue.length) {
      const lane = queue[next++];
      for (const index of lane) {
        if (failures.length > 0 || options.shouldStop?.()) return;
        try {
          await options.handle(records[index]);
        } catch (error) {
          failures.push({ index, error });
          return;
        }
        done[index] = true;
        handled += 1;
        advance();
      }
    }
  };

  const workers = Math.max(1, Math.min(options.concurrency, queue.length));
  await Promise.all(Array.from({ length: workers }, () => worker()));
  if (failures.length === 0) return { handled };
  const first = failures.reduce((a, b) => (b.index < a.index ? b : a));
  return { handled, failure: { offset: records[first.index].offset, error: first.error } };
}
