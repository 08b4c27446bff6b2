/** Micro-batching of concurrent Kafka sends for the raw pipeline of the bench (no I/O of its own). */

export interface Record_ {
  key: string;
  value: Buffer;
}

/** Sends a batch of records to one topic in one produce request; resolves when the broker acked all (acks=-1). */
export type SendBatch = (records: Record_[]) => Promise<void>;

/** At most this many value bytes a produce request (the broker refuses batches above message.max.bytes, 1 MB). */
export const MAX_BATCH_BYTES = 512 * 1024;
const size = (q: Queued): number => q.records.reduce((n, r) => n + r.value.length, 0);

interface Queued {
  records: Record_[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Micro-batching: sends queue up and go out together as one produce request, `lingerMs` after the first of a batch
 * (linger), or as soon as the produce request in flight is acked (`lingerMs` undefined: one in flight, no timer).
 */
export function batching(send: SendBatch, lingerMs?: number, maxBatchBytes = MAX_BATCH_BYTES): SendBatch {
  let queue: Queued[] = [];
  let busy = false;
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    timer = undefined;
    if (busy || !queue.length) return;
    busy = lingerMs === undefined;
    let bytes = 0;
    let taken = 0;
    while (taken < queue.length && (taken === 0 || bytes + size(queue[taken]) <= maxBatchBytes)) bytes += size(queue[taken++]);
    const batch = queue.slice(0, taken);
    queue = queue.slice(taken);
    send(batch.flatMap((q) => q.records))
      .then(
        () => batch.forEach((q) => q.resolve()),
        (error: unknown) => batch.forEach((q) => q.reject(error)),
      )
      .finally(() => {
        busy = false;
        if (lingerMs === undefined) flush();
      });
    if (lingerMs !== undefined && queue.length) flush(); // the rest of a batch above MAX_BATCH_BYTES
  };
  return (records) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ records, resolve, reject });
      if (lingerMs === undefined) flush();
      else timer ??= setTimeout(flush, lingerMs);
    });
}
