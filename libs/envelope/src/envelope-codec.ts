import { ContentType, Direction, Envelope, SignatureInfo, parseServiceId, serviceId } from './envelope';
import { EnvelopeHeader } from './envelope-headers';

/** What Kafka carries: the envelope as key + string headers + payload bytes. */
export interface EnvelopeRecord {
  key: string;
  headers: Record<string, string>;
  value: Buffer;
}

export class EnvelopeDecodeException extends Error {
  readonly code = 'ENVELOPE_MALFORMED';
  constructor(message: string) {
    super(message);
    this.name = 'EnvelopeDecodeException';
  }
}

const CONTENT_TYPES: readonly ContentType[] = ['application/json', 'application/xml'];
const DIRECTIONS: readonly Direction[] = ['outbound', 'inbound', 'reply'];

/** The only encoder/decoder of envelopes for Kafka; every app uses it, so no app re-encodes differently. */
export const EnvelopeCodec = {
  encode(envelope: Envelope): EnvelopeRecord {
    const headers: Record<string, string> = {
      [EnvelopeHeader.MESSAGE_ID]: envelope.messageId,
      [EnvelopeHeader.CORRELATION_ID]: envelope.correlationId,
      [EnvelopeHeader.CLIENT]: envelope.client,
      [EnvelopeHeader.SERVICE]: serviceId(envelope.service),
      [EnvelopeHeader.MESSAGE_TYPE]: envelope.messageType,
      [EnvelopeHeader.SCHEMA_VERSION]: envelope.schemaVersion,
      [EnvelopeHeader.CREATED_AT]: envelope.createdAt,
      [EnvelopeHeader.DIRECTION]: envelope.direction,
      [EnvelopeHeader.CONTENT_TYPE]: envelope.contentType,
    };
    if (envelope.inReplyTo) headers[EnvelopeHeader.IN_REPLY_TO] = envelope.inReplyTo;
    if (envelope.userId) headers[EnvelopeHeader.USER_ID] = envelope.userId;
    if (envelope.replayOf) headers[EnvelopeHeader.REPLAY_OF] = envelope.replayOf;
    if (envelope.attempt !== undefined) headers[EnvelopeHeader.ATTEMPT] = String(envelope.attempt);
    if (envelope.signature) headers[EnvelopeHeader.SIGNATURE] = JSON.stringify(envelope.signature);
    return { key: envelope.correlationId, headers, value: Buffer.from(envelope.payload, 'utf8') };
  },

  decode(record: { key?: Buffer | string | null; headers: Record<string, string | Buffer | undefined>; value: Buffer | null }): Envelope {
    const header = (name: string): string | undefined => {
      const raw = record.headers[name];
      return raw === undefined ? undefined : raw.toString();
    };
    const required = (name: string): string => {
      const value = header(name);
      if (!value) throw new EnvelopeDecodeException(`Kafka record lacks header ${name}`);
      return value;
    };
    const service = parseServiceId(required(EnvelopeHeader.SERVICE));
    if (!service) throw new EnvelopeDecodeException(`Header ${EnvelopeHeader.SERVICE} is not partner/operation`);
    const contentType = required(EnvelopeHeader.CONTENT_TYPE) as ContentType;
    if (!CONTENT_TYPES.includes(contentType)) throw new EnvelopeDecodeException(`Unknown content type ${contentType}`);
    const direction = required(EnvelopeHeader.DIRECTION) as Direction;
    if (!DIRECTIONS.includes(direction)) throw new EnvelopeDecodeException(`Unknown direction ${direction}`);
    const signatureHeader = header(EnvelopeHeader.SIGNATURE);
    const attempt = header(EnvelopeHeader.ATTEMPT);
    const envelope: Envelope = {
      messageId: required(EnvelopeHeader.MESSAGE_ID),
      correlationId: required(EnvelopeHeader.CORRELATION_ID),
      client: required(EnvelopeHeader.CLIENT),
      service,
      messageType: required(EnvelopeHeader.MESSAGE_TYPE),
      schemaVersion: required(EnvelopeHeader.SCHEMA_VERSION),
      createdAt: required(EnvelopeHeader.CREATED_AT),
      direction,
      contentType,
      payload: record.value ? record.value.toString('utf8') : '',
    };
    const inReplyTo = header(EnvelopeHeader.IN_REPLY_TO);
    if (inReplyTo) envelope.inReplyTo = inReplyTo;
    const userId = header(EnvelopeHeader.USER_ID);
    if (userId) envelope.userId = userId;
    const replayOf = header(EnvelopeHeader.REPLAY_OF);
    if (replayOf) envelope.replayOf = replayOf;
    if (attempt !== undefined) envelope.attempt = Number(attempt);
    if (signatureHeader) {
      try {
        envelope.signature = JSON.parse(signatureHeader) as SignatureInfo;
      } catch {
        throw new EnvelopeDecodeException(`Header ${EnvelopeHeader.SIGNATURE} is not JSON`);
      }
    }
    return envelope;
  },
};
