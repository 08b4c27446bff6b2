import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/** How a message's payload is encoded on the wire and in Kafka's value. */
export type ContentType = 'application/json' | 'application/xml';

/** Where the message goes: a partner (or the ministry itself, for inbound) and one of its operations. */
export interface ServiceRef {
  partner: string;
  operation: string;
}

/** The signature that protected the message at the boundary it crossed, kept with the message. */
export interface SignatureInfo {
  format: 'jws' | 'xmldsig';
  /** The detached JWS, or the whole signed SOAP envelope's ds:Signature element. */
  value: string;
  /** PEM of the signer's certificate. */
  certificate?: string;
  keyId?: string;
  verification?: 'signed' | 'verified' | 'failed';
}

export type Direction = 'outbound' | 'inbound' | 'reply';

/**
 * The one message shape every app passes around. It travels through Kafka as key (correlation id),
 * headers (everything but the payload) and value (the payload bytes), encoded by `EnvelopeCodec` only.
 */
export interface Envelope {
  /** ULID: unique, sortable by creation time. Stays the same across retries and replays. */
  messageId: string;
  /** Groups a request with its reply and with related messages; the Kafka key, so one correlation stays ordered. */
  correlationId: string;
  /** Who sends: a subsystem of the ministry or a partner, e.g. `MLSP/pensions`. */
  client: string;
  service: ServiceRef;
  messageType: string;
  schemaVersion: string;
  /** ISO-8601 instant. */
  createdAt: string;
  direction: Direction;
  contentType: ContentType;
  /** The payload exactly as received or produced: JSON text or an XML document. */
  payload: string;
  /** For replies: the message id of the request it answers. */
  inReplyTo?: string;
  /** The person on whose behalf the client acts (X-Road userId), when known. */
  userId?: string;
  signature?: SignatureInfo;
  /** Replays and forced redeliveries carry the operator's reason; the id does not change. */
  replayOf?: string;
  /** 1 on first delivery; retries increase it. */
  attempt?: number;
}

/**
 * ulid's own PRNG asks the system for one random byte per character (16 calls per id): the same crypto-grade bytes,
 * drawn from a pool refilled 4 KiB at a time, with the same value (byte / 256) it uses.
 */
const pool = Buffer.alloc(4096);
let poolIndex = pool.length;
function pooledRandom(): number {
  if (poolIndex >= pool.length) {
    randomFillSync(pool);
    poolIndex = 0;
  }
  return pool[poolIndex++] / 256;
}

const nextUlid = monotonicFactory(pooledRandom);

export function newMessageId(now: number = Date.now()): string {
  return nextUlid(now);
}

export function serviceId(service: ServiceRef): string {
  return `${service.partner}/${service.operation}`;
}

export function parseServiceId(id: string): ServiceRef | undefined {
  const slash = id.indexOf('/');
  if (slash <= 0 || slash === id.length - 1 || id.indexOf('/', slash + 1) !== -1) return undefined;
  return { partner: id.slice(0, slash), operation: id.slice(slash + 1) };
}

export interface NewEnvelope extends Omit<Envelope, 'messageId' | 'correlationId' | 'createdAt' | 'direction'> {
  messageId?: string;
  correlationId?: string;
  direction?: Direction;
}

export function createEnvelope(input: NewEnvelope, now: Date = new Date()): Envelope {
  const messageId = input.messageId ?? newMessageId(now.getTime());
  return {
    ...input,
    messageId,
    correlationId: input.correlationId ?? messageId,
    createdAt: now.toISOString(),
    direction: input.direction ?? 'outbound',
  };
}

/** The reply to `request`: same correlation, the service it came from, a fresh id. */
export function createReply(
  request: Envelope,
  reply: Pick<Envelope, 'messageType' | 'schemaVersion' | 'contentType' | 'payload'> & { client?: string },
  now: Date = new Date(),
): Envelope {
  return createEnvelope(
    {
      client: reply.client ?? request.service.partner,
      service: request.service,
      messageType: reply.messageType,
      schemaVersion: reply.schemaVersion,
      contentType: reply.contentType,
      payload: reply.payload,
      correlationId: request.correlationId,
      inReplyTo: request.messageId,
      userId: request.userId,
      direction: 'reply',
    },
    now,
  );
}
