import { EnvelopeCodec, EnvelopeHeader, createEnvelope } from '@korpu/envelope';
import type { IncomingMessage } from '@korpu/messaging';
import { DeadLetterHeader, deadLetterHeaders, failureFingerprint } from './dead-letter-headers';
import { readDeadLetterRecord } from './dead-letter-record';

const envelope = createEnvelope({
  client: 'MLSP/pensions',
  service: { partner: 'tax-service', operation: 'GetTaxpayer' },
  messageType: 'taxpayer-lookup-request',
  schemaVersion: '1',
  contentType: 'application/json',
  payload: '{"voen":"1234567891"}',
});

function dlqRecord(headers: Record<string, string>, overrides: Partial<IncomingMessage> = {}): IncomingMessage {
  return {
    topic: 'korpu.dead-letter',
    partition: 1,
    offset: '9',
    key: envelope.correlationId,
    headers,
    value: Buffer.from(envelope.payload),
    timestamp: Date.parse('2026-12-01T08:06:00Z'),
    ...overrides,
  };
}

describe('readDeadLetterRecord', () => {
  it('reads the envelope, the original coordinates and the failure of a dead-letter record', () => {
    const encoded = EnvelopeCodec.encode(envelope);
    const headers = deadLetterHeaders({
      original: { topic: 'korpu.outbound.tax-service', partition: 2, offset: '41', headers: encoded.headers },
      failure: { code: 'PARTNER_UNAVAILABLE', message: 'tax-service answered 503' },
      attempts: 5,
      failedAt: new Date('2026-12-01T08:05:00Z'),
    });
    const message = readDeadLetterRecord(dlqRecord(headers));
    expect(message).toMatchObject({
      messageId: envelope.messageId,
      correlationId: envelope.correlationId,
      client: 'MLSP/pensions',
      service: 'tax-service/GetTaxpayer',
      messageType: 'taxpayer-lookup-request',
      schemaVersion: '1',
      contentType: 'application/json',
      key: envelope.correlationId,
      originalTopic: 'korpu.outbound.tax-service',
      originalPartition: 2,
      originalOffset: '41',
      attempts: 5,
      errorCode: 'PARTNER_UNAVAILABLE',
      errorMessage: 'tax-service answered 503',
      fingerprint: failureFingerprint('PARTNER_UNAVAILABLE', 'tax-service answered 503'),
      firstFailedAt: new Date('2026-12-01T08:05:00Z'),
      failedAt: new Date('2026-12-01T08:05:00Z'),
      headers: encoded.headers,
      payload: envelope.payload,
      deadLetter: { topic: 'korpu.dead-letter', partition: 1, offset: '9' },
      warnings: [],
    });
  });

  it('keeps a record without message id or failure headers under a synthetic id, saying what was missing', () => {
    const message = readDeadLetterRecord(dlqRecord({ 'x-other': '1' }, { key: null }));
    expect(message.messageId).toBe('dlq:korpu.dead-letter:1:9');
    expect(message.errorCode).toBe('UNKNOWN');
    expect(message.originalTopic).toBeUndefined();
    expect(message.failedAt).toEqual(new Date('2026-12-01T08:06:00Z'));
    expect(message.warnings.join('\n')).toMatch(/no korpu-message-id[\s\S]*no korpu-dlq-error-code[\s\S]*cannot be replayed/);
  });

  it('refuses bad numbers and instants without failing the record', () => {
    const message = readDeadLetterRecord(
      dlqRecord({
        ...EnvelopeCodec.encode(envelope).headers,
        [DeadLetterHeader.ATTEMPTS]: 'three',
        [DeadLetterHeader.ORIGINAL_PARTITION]: '-1',
        [DeadLetterHeader.FAILED_AT]: 'soon',
        [EnvelopeHeader.ATTEMPT]: '2',
      }),
    );
    expect(message.attempts).toBe(2);
    expect(message.originalPartition).toBeUndefined();
    expect(message.warnings).toEqual([
      'the record has no korpu-dlq-error-code header',
      'the record has no korpu-dlq-original-topic header: it cannot be replayed',
      'korpu-dlq-failed-at is not an ISO-8601 instant: "soon"',
      'korpu-dlq-attempts is not a non-negative integer: "three"',
      'korpu-dlq-original-partition is not a non-negative integer: "-1"',
    ]);
  });
});
