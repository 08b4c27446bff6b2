import { createEnvelope, createReply } from './envelope';
import { ReplyWaiter } from './reply-waiter';

const request = createEnvelope({
  client: 'MLSP/pensions',
  service: { partner: 'tax-service', operation: 'GetTaxpayer' },
  messageType: 't',
  schemaVersion: '1',
  contentType: 'application/json',
  payload: '{}',
});

describe('ReplyWaiter', () => {
  it('hands a reply to the exchange waiting for its request', async () => {
    const waiter = new ReplyWaiter();
    const waiting = waiter.wait(request.messageId, 5000);
    const reply = createReply(request, { messageType: 'r', schemaVersion: '1', contentType: 'application/json', payload: '{"ok":1}' });
    expect(waiter.deliver(reply)).toBe(true);
    expect(await waiting.reply).toBe(reply);
    expect(waiter.size).toBe(0);
  });

  it('resolves undefined at the deadline and forgets the exchange', async () => {
    const waiter = new ReplyWaiter();
    expect(await waiter.wait(request.messageId, 10).reply).toBeUndefined();
    expect(waiter.size).toBe(0);
  });

  it('lets a refused second caller of the same id cancel only its own wait', async () => {
    const waiter = new ReplyWaiter();
    const owner = waiter.wait(request.messageId, 5000);
    const intruder = waiter.wait(request.messageId, 5000);
    intruder.cancel();
    expect(await intruder.reply).toBeUndefined();
    expect(waiter.size).toBe(1);
    const reply = createReply(request, { messageType: 'r', schemaVersion: '1', contentType: 'application/json', payload: '{}' });
    expect(waiter.deliver(reply)).toBe(true);
    expect(await owner.reply).toBe(reply);
    expect(waiter.size).toBe(0);
  });

  it('ignores replies nobody here waits for', () => {
    const waiter = new ReplyWaiter();
    const reply = createReply(request, { messageType: 'r', schemaVersion: '1', contentType: 'application/json', payload: '{}' });
    expect(waiter.deliver(reply)).toBe(false);
  });
});

const portalRequest = createEnvelope({
  messageId: 'portal-1',
  client: 'c',
  service: { partner: 'ministry', operation: 'Op' },
  messageType: 't',
  schemaVersion: '1',
  contentType: 'application/xml',
  payload: '<a/>',
});
const portalReply = createReply(portalRequest, { messageType: 'r', schemaVersion: '1', contentType: 'application/xml', payload: '<b/>' });

describe('ReplyWaiter with several callers of one message', () => {
  it('hands one reply to every caller waiting for the same request', async () => {
    const waiter = new ReplyWaiter();
    const first = waiter.wait('portal-1', 1000);
    const second = waiter.wait('portal-1', 1000);
    expect(waiter.deliver(portalReply)).toBe(true);
    await expect(first.reply).resolves.toBe(portalReply);
    await expect(second.reply).resolves.toBe(portalReply);
    expect(waiter.size).toBe(0);
  });

  it('ends each wait at its own deadline, leaving the others waiting', async () => {
    const waiter = new ReplyWaiter();
    const short = waiter.wait('portal-1', 10);
    const long = waiter.wait('portal-1', 1000);
    await expect(short.reply).resolves.toBeUndefined();
    waiter.deliver(portalReply);
    await expect(long.reply).resolves.toBe(portalReply);
  });

  it('stops a cancelled wait and ignores replies nobody waits for', async () => {
    const waiter = new ReplyWaiter();
    const wait = waiter.wait('portal-1', 1000);
    wait.cancel();
    await expect(wait.reply).resolves.toBeUndefined();
    expect(waiter.deliver(portalReply)).toBe(false);
  });
});
