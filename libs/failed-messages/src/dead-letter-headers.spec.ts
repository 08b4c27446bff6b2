import { EnvelopeCodec, EnvelopeHeader, createEnvelope } from '@korpu/envelope';
import {
  DEAD_LETTER_HEADER_PREFIX,
  DeadLetterHeader,
  deadLetterHeaders,
  failureFingerprint,
  normalizeErrorMessage,
  stripDeadLetterHeaders,
} from './dead-letter-headers';

const envelope = createEnvelope(
  {
    client: 'MLSP/pensions',
    service: { partner: 'tax-service', operation: 'GetTaxpayer' },
    messageType: 'taxpayer-lookup-request',
    schemaVersion: '1',
    contentType: 'application/json',
    payload: '{"voen":"1234567891"}',
  },
  new Date('2026-12-01T08:00:00Z'),
);
const original = { topic: 'korpu.outbound.tax-service', partition: 2, offset: '41', headers: EnvelopeCodec.encode(envelope).headers };
const failure = { code: 'PARTNER_UNAVAILABLE', message: 'tax-service answered 503 after 30000 ms' };

const dlqNames = (headers: Record<string, string>) => Object.keys(headers).filter((name) => name.startsWith(DEAD_LETTER_HEADER_PREFIX)).sort();

describe('deadLetterHeaders', () => {
  it('adds every dead-letter header as a readable string beside the envelope headers', () => {
    const headers = deadLetterHeaders({ original, failure, attempts: 5, failedAt: new Date('2026-12-01T08:05:00Z') });
    expect(headers).toMatchObject({
      ...original.headers,
      [DeadLetterHeader.ORIGINAL_TOPIC]: 'korpu.outbound.tax-service',
      [DeadLetterHeader.ORIGINAL_PARTITION]: '2',
      [DeadLetterHeader.ORIGINAL_OFFSET]: '41',
      [DeadLetterHeader.ATTEMPTS]: '5',
      [DeadLetterHeader.ERROR_CODE]: 'PARTNER_UNAVAILABLE',
      [DeadLetterHeader.ERROR_MESSAGE]: 'tax-service answered 503 after 30000 ms',
      [DeadLetterHeader.FINGERPRINT]: failureFingerprint('PARTNER_UNAVAILABLE', failure.message),
      [DeadLetterHeader.FIRST_FAILED_AT]: '2026-12-01T08:05:00.000Z',
      [DeadLetterHeader.FAILED_AT]: '2026-12-01T08:05:00.000Z',
    });
    expect(dlqNames(headers)).toEqual(Object.values(DeadLetterHeader).sort());
    // The envelope still decodes from the dead-letter record.
    expect(EnvelopeCodec.decode({ key: envelope.correlationId, headers, value: Buffer.from(envelope.payload) }).messageId).toBe(envelope.messageId);
  });

  it('replaces the dead-letter headers of a record that fails again instead of adding a second set, keeping the first failure time', () => {
    const first = deadLetterHeaders({ original, failure, attempts: 5, failedAt: new Date('2026-12-01T08:05:00Z') });
    const again = deadLetterHeaders({
      original: { topic: original.topic, partition: 0, offset: '77', headers: first },
      failure: { code: 'REPLY_SCHEMA_INVALID', message: 'reply lacks /name' },
      attempts: 1,
      failedAt: new Date('2026-12-02T09:00:00Z'),
    });
    expect(dlqNames(again)).toEqual(Object.values(DeadLetterHeader).sort());
    expect(Object.keys(again)).toHaveLength(Object.keys(first).length);
    expect(again).toMatchObject({
      [DeadLetterHeader.ORIGINAL_OFFSET]: '77',
      [DeadLetterHeader.ORIGINAL_PARTITION]: '0',
      [DeadLetterHeader.ATTEMPTS]: '1',
      [DeadLetterHeader.ERROR_CODE]: 'REPLY_SCHEMA_INVALID',
      [DeadLetterHeader.FIRST_FAILED_AT]: '2026-12-01T08:05:00.000Z',
      [DeadLetterHeader.FAILED_AT]: '2026-12-02T09:00:00.000Z',
    });
    expect(again[EnvelopeHeader.MESSAGE_ID]).toBe(envelope.messageId);
  });

  it('replaces dead-letter headers whatever the case of their names', () => {
    const headers = deadLetterHeaders({
      original: { ...original, headers: { ...original.headers, 'Korpu-DLQ-Error-Code': 'OLD', 'KORPU-DLQ-FIRST-FAILED-AT': '2026-11-30T00:00:00Z' } },
      failure,
      attempts: 2,
      failedAt: new Date('2026-12-01T08:05:00Z'),
    });
    expect(Object.keys(headers).filter((name) => name.toLowerCase().startsWith('korpu-dlq-'))).toHaveLength(9);
    expect(headers[DeadLetterHeader.FIRST_FAILED_AT]).toBe('2026-11-30T00:00:00.000Z');
  });

  it('ignores an unreadable earlier first-failed-at', () => {
    const headers = deadLetterHeaders({
      original: { ...original, headers: { ...original.headers, [DeadLetterHeader.FIRST_FAILED_AT]: 'yesterday' } },
      failure,
      attempts: 1,
      failedAt: new Date('2026-12-01T08:05:00Z'),
    });
    expect(headers[DeadLetterHeader.FIRST_FAILED_AT]).toBe('2026-12-01T08:05:00.000Z');
  });

  it('truncates a very long error message', () => {
    const headers = deadLetterHeaders({ original, failure: { code: 'X', message: 'e'.repeat(10_000) }, attempts: 1, failedAt: new Date() });
    expect(headers[DeadLetterHeader.ERROR_MESSAGE]).toHaveLength(2000);
  });
});

describe('failureFingerprint', () => {
  it('is equal for failures of one cause whose messages differ only in ids, instants, addresses and long numbers', () => {
    const a = failureFingerprint('PARTNER_TIMEOUT', 'No answer from http://10.0.0.12:8443 for 01JDX5Q6W8N3RZ4T5K6M7P8Q9R after 30000 ms at 2026-12-01T08:00:00Z');
    const b = failureFingerprint('PARTNER_TIMEOUT', 'No answer  from http://10.0.0.13:8443 for 01JDX5Q6W8N3RZ4T5K6M7P8Q9S after 30001 ms at 2026-12-02T09:13:14.5Z');
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
  });

  it('differs for different codes or different causes', () => {
    expect(failureFingerprint('A', 'partner answered 503')).not.toBe(failureFingerprint('B', 'partner answered 503'));
    expect(failureFingerprint('A', 'partner answered 503')).not.toBe(failureFingerprint('A', 'partner answered 400'));
  });

  it('normalises what varies and keeps what names the cause', () => {
    expect(normalizeErrorMessage('Taxpayer 1234567891 not found (trace 4bf92f3577b34da6a3ce929d0e0e4736)')).toBe('taxpayer <n> not found (trace <hex>)');
    expect(normalizeErrorMessage('id 3f2c1e9a-8d6b-4c1a-9e2f-0a1b2c3d4e5f')).toBe('id <uuid>');
  });
});

describe('stripDeadLetterHeaders', () => {
  it('keeps only the headers that are not dead-letter headers', () => {
    expect(stripDeadLetterHeaders({ 'korpu-message-id': 'm', [DeadLetterHeader.ATTEMPTS]: '3', traceparent: 't' })).toEqual({
      'korpu-message-id': 'm',
      traceparent: 't',
    });
  });
});
