import { Injectable } from '@nestjs/common';
import { Envelope } from './envelope';

interface Waiting {
  resolve: (reply: Envelope | undefined) => void;
  timer: NodeJS.Timeout;
}

/** One parked exchange: its reply (undefined at the deadline), and a way to stop waiting that touches no other caller. */
export interface ReplyWait {
  readonly reply: Promise<Envelope | undefined>;
  cancel(): void;
}

/**
 * Parks callers until the reply to their message arrives from the replies topic, or until their own deadline: the
 * gateway's synchronous exchanges and the partner endpoint's inbound callers alike. Each caller holds its own wait:
 * a caller that is refused (another client's id, a submit of the id in progress) cancels only its own wait, never
 * the exchange that owns the id; several callers may wait for one message (a partner's retry while the first
 * attempt is in flight) and each gets the reply. Ids are claimed per client before anything is sent (the message
 * record), so the waits of one id are all its owner's.
 */
@Injectable()
export class ReplyWaiter {
  private readonly waiting = new Map<string, Set<Waiting>>();

  wait(messageId: string, timeoutMs: number): ReplyWait {
    let entry: Waiting | undefined;
    const reply = new Promise<Envelope | undefined>((resolve) => {
      const timer = setTimeout(() => {
        this.remove(messageId, entry);
        resolve(undefined);
      }, timeoutMs);
      entry = { resolve, timer };
      const set = this.waiting.get(messageId) ?? new Set<Waiting>();
      set.add(entry);
      this.waiting.set(messageId, set);
    });
    return {
      reply,
      cancel: () => {
        if (!entry) return;
        clearTimeout(entry.timer);
        this.remove(messageId, entry);
        entry.resolve(undefined);
      },
    };
  }

  /** Hands a reply to the exchanges waiting for it; returns false when nobody here waits for it. */
  deliver(reply: Envelope): boolean {
    const key = reply.inReplyTo;
    const set = key ? this.waiting.get(key) : undefined;
    if (!key || !set) return false;
    for (const entry of [...set]) {
      clearTimeout(entry.timer);
      set.delete(entry);
      entry.resolve(reply);
    }
    this.waiting.delete(key);
    return true;
  }

  get size(): number {
    let n = 0;
    for (const set of this.waiting.values()) n += set.size;
    return n;
  }

  private remove(messageId: string, entry: Waiting | undefined): void {
    const set = this.waiting.get(messageId);
    if (!set || !entry) return;
    set.delete(entry);
    if (set.size === 0) this.waiting.delete(messageId);
  }
}
