import { createEnvelope, createReply } from '@korpu/envelope';
import { InboundReplyWaiter } from './inbound-reply-waiter';

const request = createEnvelope({
  messageId: 'portal-1',
  client: 'c',
  service: { partner: 'ministry', operation: 'Op' },
  messageType: 't',
  schemaVersion: '1',
  contentType: 'application/xml',
  payload: '<a/>',
});
const reply = createReply(request, { messageType: 'r', schemaVersion: '1', contentType: 'application/xml', payload: '<b/>' });

describe('InboundReplyWaiter', () => {
  it('hands one reply to every caller waiting for the same request', async () => {
    const waiter = new InboundReplyWaiter();
    const first = waiter.wait('portal-1', 1000);
    const second = waiter.wait('portal-1', 1000);
    expect(waiter.deliver(reply)).toBe(true);
    await expect(first.reply).resolves.toBe(reply);
    await expect(second.reply).resolves.toBe(reply);
    expect(waiter.size).toBe(0);
  });

  it('ends each wait at its own deadline, leaving the others waiting', async () => {
    const waiter = new InboundReplyWaiter();
    const short = waiter.wait('portal-1', 10);
    const long = waiter.wait('portal-1', 1000);
    await expect(short.reply).resolves.toBeUndefined();
    waiter.deliver(reply);
    await expect(long.reply).resolves.toBe(reply);
  });

  it('stops a cancelled wait and ignores replies nobody waits for', async () => {
    const waiter = new InboundReplyWaiter();
    const wait = waiter.wait('portal-1', 1000);
    wait.cancel();
    await expect(wait.reply).resolves.toBeUndefined();
    expect(waiter.deliver(reply)).toBe(false);
  });
});
