export { createEnvelope, createReply, newMessageId, parseServiceId, serviceId } from './envelope';
export type { ContentType, Direction, Envelope, NewEnvelope, ServiceRef, SignatureInfo } from './envelope';
export { EnvelopeCodec, EnvelopeDecodeException } from './envelope-codec';
export type { EnvelopeRecord } from './envelope-codec';
export { EnvelopeHeader } from './envelope-headers';
