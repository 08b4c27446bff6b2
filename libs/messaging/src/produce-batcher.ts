/**
 * Puts concurrent sends into one produce request, with one request in flight at a time.
 *
 * Why one in flight: kafkajs' idempotent producer rolls a partition's sequence number back when a request fails
 * without an answer, although the broker may have written it; a second send that takes the broker next gets that
 * number, the broker takes its batch for a duplicate of the written one and answers success without writing it
 * (kafka-producer-outcome.int-spec.ts shows it). With one request in flight, the only request that can take a
 * rolled-back number is the retry of the request that gave it back, which the broker rightly takes for its duplicate.
 *
 * Why batching: with one request in flight, sends that arrive meanwhile would each wait for a round trip of their
 * own; gathered into the next request they share it (no linger: a send to an idle producer goes at once). Order is
 * kept: requests are sent in arrival order and a request keeps its messages in arrival order per topic.
 */
export interface BatchedSend<M> {
  topic: string;
  messages: M[];
  bytes: number;
}

export interface ProduceBatcherOptions {
  /** A request gathers sends up to this many bytes (a send larger than that goes alone). */
  maxRequestBytes: number;
  /** Sends waiting beyond this many bytes are refused at once rather than held in memory. */
  maxQueuedBytes: number;
}

export class ProducerQueueFull extends Error {
  constructor(queuedBytes: number) {
    super(`the producer holds ${queuedBytes} bytes waiting for the broker already; try again`);
    this.name = 'ProducerQueueFull';
  }
}

interface Pending<M> extends BatchedSend<M> {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class ProduceBatcher<M> {
  private readonly queue: Array<Pending<M>> = [];
  private queuedBytes = 0;
  private flying = false;

  constructor(
    private readonly flush: (sends: Array<BatchedSend<M>>) => Promise<void>,
    private readonly options: ProduceBatcherOptions,
  ) {}

  send(topic: string, messages: M[], bytes: number): Promise<void> {
    if (this.queuedBytes + bytes > this.options.maxQueuedBytes && this.queue.length > 0) {
      return Promise.reject(new ProducerQueueFull(this.queuedBytes));
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ topic, messages, bytes, resolve, reject });
      this.queuedBytes += bytes;
      if (!this.flying) void this.drain();
    });
  }

  /** Requests sent so far and sends they carried: how well concurrent sends were gathered. */
  readonly stats = { requests: 0, sends: 0 };

  private async drain(): Promise<void> {
    this.flying = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.take();
        this.stats.requests += 1;
        this.stats.sends += batch.length;
        try {
          await this.flush(batch);
          for (const send of batch) send.resolve();
        } catch (error) {
          for (const send of batch) send.reject(error);
        }
      }
    } finally {
      this.flying = false;
    }
  }

  private take(): Array<Pending<M>> {
    let count = 0;
    let bytes = 0;
    while (count < this.queue.length) {
      const next = this.queue[count];
      if (count > 0 && bytes + next.bytes > this.options.maxRequestBytes) break;
      bytes += next.bytes;
      count += 1;
    }
    this.queuedBytes -= bytes;
    return this.queue.splice(0, count);
  }
}
