import { Envelope, EnvelopeCodec, createEnvelope } from '@korpu/envelope';
import type { IncomingMessage } from '@korpu/messaging';
import { deadLetterHeaders } from '../src/dead-letter-headers';

let offset = 0;

export interface DeadLetterFixture {
  envelope: Envelope;
  record: IncomingMessage;
}

/** A request to a partner as it reaches the dead-letter topic after failing (the dispatcher's side of the contract). */
export function aDeadLetterRecord(
  options: {
    partner?: string;
    client?: string;
    code?: string;
    message?: string;
    failedAt?: Date;
    attempts?: number;
    envelope?: Envelope;
    correlationId?: string;
    payload?: string;
    dlqTopic?: string;
    prefix?: string;
  } = {},
): DeadLetterFixture {
  const partner = options.partner ?? 'tax-service';
  const envelope =
    options.envelope ??
    createEnvelope({
      client: options.client ?? 'MLSP/pensions',
      service: { partner, operation: 'GetTaxpayer' },
      messageType: 'taxpayer-lookup-request',
      schemaVersion: '1',
      contentType: 'application/json',
      payload: options.payload ?? '{"voen":"1234567891"}',
      correlationId: options.correlationId,
      attempt: options.attempts ?? 5,
    });
  const encoded = EnvelopeCodec.encode(envelope);
  const failedAt = options.failedAt ?? new Date();
  offset++;
  const prefix = options.prefix ?? 'korpu';
  return {
    envelope,
    record: {
      topic: options.dlqTopic ?? `${prefix}.dead-letter`,
      partition: 0,
      offset: String(offset),
      key: encoded.key,
      headers: deadLetterHeaders({
        original: { topic: `${prefix}.outbound.${partner}`, partition: 1, offset: String(1000 + offset), headers: encoded.headers },
        failure: { code: options.code ?? 'PARTNER_UNAVAILABLE', message: options.message ?? `${partner} answered 503` },
        attempts: options.attempts ?? 5,
        failedAt,
      }),
      value: encoded.value,
      timestamp: failedAt.getTime(),
    },
  };
}
