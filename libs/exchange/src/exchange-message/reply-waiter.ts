import { Injectable } from '@nestjs/common';
import { Envelope } from '@korpu/envelope';

interface Waiting {
  resolve: (reply: Envelope) => void;
  timer: NodeJS.Timeout;
}

/** Parks synchronous exchanges until their reply arrives from Kafka, or until their deadline. */
@Injectable()
export class ReplyWaiter {
  private readonly waiting = new Map<string, Waiting>();

  /** Resolves with the reply, or with undefined at the deadline (the exchange itself goes on). */
  wait(messageId: string, timeoutMs: number): Promise<Envelope | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(messageId);
        resolve(undefined);
      }, timeoutMs);
      this.waiting.set(messageId, { resolve, timer });
    });
  }

  /** Hands a reply to the exchange waiting for it; returns false when nobody here waits for it. */
  deliver(reply: Envelope): boolean {
    const key = reply.inReplyTo;
    const waiting = key ? this.waiting.get(key) : undefined;
    if (!key || !waiting) return false;
    clearTimeout(waiting.timer);
    this.waiting.delete(key);
    waiting.resolve(reply);
    return true;
  }

  cancel(messageId: string): void {
    const waiting = this.waiting.get(messageId);
    if (!waiting) return;
    clearTimeout(waiting.timer);
    this.waiting.delete(messageId);
  }

  get size(): number {
    return this.waiting.size;
  }
}
