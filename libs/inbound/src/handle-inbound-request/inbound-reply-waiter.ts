import { Injectable } from '@nestjs/common';
import { Envelope } from '@korpu/envelope';

export interface ReplyWait {
  /** The reply, or undefined at the deadline. */
  reply: Promise<Envelope | undefined>;
  /** Stops waiting now (the promise resolves with undefined). */
  cancel(): void;
}

interface Waiter {
  resolve: (reply: Envelope | undefined) => void;
  timer: NodeJS.Timeout;
}

/**
 * Parks callers until the reply to their request arrives from the replies topic, or until their own deadline.
 * Several callers may wait for the same request (a partner's retry while the first attempt is in flight):
 * each gets the reply, each with its own deadline.
 */
@Injectable()
export class InboundReplyWaiter {
  private readonly waiting = new Map<string, Set<Waiter>>();

  wait(messageId: string, timeoutMs: number): ReplyWait {
    let waiter!: Waiter;
    const reply = new Promise<Envelope | undefined>((resolve) => {
      waiter = { resolve, timer: setTimeout(() => this.settle(messageId, waiter, undefined), timeoutMs) };
    });
    const set = this.waiting.get(messageId) ?? new Set<Waiter>();
    set.add(waiter);
    this.waiting.set(messageId, set);
    return { reply, cancel: () => this.settle(messageId, waiter, undefined) };
  }

  /** Hands a reply to everyone here waiting for its request; returns false when nobody waits for it. */
  deliver(reply: Envelope): boolean {
    const set = reply.inReplyTo ? this.waiting.get(reply.inReplyTo) : undefined;
    if (!set) return false;
    for (const waiter of [...set]) this.settle(reply.inReplyTo!, waiter, reply);
    return true;
  }

  get size(): number {
    let total = 0;
    for (const set of this.waiting.values()) total += set.size;
    return total;
  }

  private settle(messageId: string, waiter: Waiter, reply: Envelope | undefined): void {
    const set = this.waiting.get(messageId);
    if (!set?.delete(waiter)) return;
    if (set.size === 0) this.waiting.delete(messageId);
    clearTimeout(waiter.timer);
    waiter.resolve(reply);
  }
}
