import { createEnvelope, createReply, newMessageId, parseServiceId } from './envelope';
import { EnvelopeCodec, EnvelopeDecodeException } from './envelope-codec';
import { EnvelopeHeader } from './envelope-headers';

const request = () =>
  createEnvelope({
    client: 'MLSP/pensions',
    service: { partner: 'tax-service', operation: 'GetTaxpayer' },
    messageType: 'taxpayer-lookup-request',
    schemaVersion: '1',
    contentType: 'application/json',
    payload: '{"voen":"1234567891"}',
    userId: 'AZ-1234567',
  });

describe('EnvelopeCodec', () => {
  it('round-trips an envelope through key, headers and value', () => {
    const envelope = { ...request(), attempt: 2, signature: { format: 'jws' as const, value: 'abc..def', keyId: 'k1' } };
    const record = EnvelopeCodec.encode(envelope);
    expect(record.key).toBe(envelope.correlationId);
    expect(record.value.toString()).toBe(envelope.payload);
    const headers = Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, Buffer.from(v)]));
    expect(EnvelopeCodec.decode({ key: record.key, headers, value: record.value })).toEqual(envelope);
  });

  it('refuses a record without a message id', () => {
    const record = EnvelopeCodec.encode(request());
    delete record.headers[EnvelopeHeader.MESSAGE_ID];
    expect(() => EnvelopeCodec.decode(record)).toThrow(EnvelopeDecodeException);
  });

  it('refuses a record whose service is not partner/operation', () => {
    const record = EnvelopeCodec.encode(request());
    record.headers[EnvelopeHeader.SERVICE] = 'tax-service';
    expect(() => EnvelopeCodec.decode(record)).toThrow(/partner\/operation/);
  });
});

describe('envelope', () => {
  it('uses the message id as correlation id for a new conversation', () => {
    const envelope = request();
    expect(envelope.correlationId).toBe(envelope.messageId);
    expect(envelope.direction).toBe('outbound');
  });

  it('issues sortable ids in creation order', () => {
    const ids = Array.from({ length: 50 }, () => newMessageId());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(50);
  });

  it('draws the random part of ids from the whole alphabet, well spread, across refills of its random pool', () => {
    // Ids of distinct milliseconds after any issued before (no monotonic increment): 16 fresh random characters each,
    // 10,000 ids span 39 pools.
    const start = Date.now() + 1000;
    const random = Array.from({ length: 10000 }, (_, i) => newMessageId(start + i * 2).slice(10)).join('');
    const counts = new Map<string, number>();
    for (const c of random) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(32);
    const expected = random.length / 32;
    for (const n of counts.values()) expect(Math.abs(n - expected)).toBeLessThan(expected * 0.1);
  });

  it('builds a reply in the same correlation that points at the request', () => {
    const original = request();
    const reply = createReply(original, {
      messageType: 'taxpayer-lookup-reply',
      schemaVersion: '1',
      contentType: 'application/json',
      payload: '{}',
    });
    expect(reply.correlationId).toBe(original.correlationId);
    expect(reply.inReplyTo).toBe(original.messageId);
    expect(reply.messageId).not.toBe(original.messageId);
    expect(reply.direction).toBe('reply');
    expect(reply.client).toBe('tax-service');
  });

  it('parses only partner/operation service ids', () => {
    expect(parseServiceId('a/b')).toEqual({ partner: 'a', operation: 'b' });
    expect(parseServiceId('a')).toBeUndefined();
    expect(parseServiceId('a/b/c')).toBeUndefined();
    expect(parseServiceId('/b')).toBeUndefined();
  });
});
