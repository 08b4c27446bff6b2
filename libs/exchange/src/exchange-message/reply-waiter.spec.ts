import { createEnvelope, createReply } from '@korpu/envelope';
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
