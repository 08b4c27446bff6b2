export { createEnvelope, createReply, newMessageId, parseServiceId, serviceId } from './envelope';
export type { ContentType, Direction, Envelope, NewEnvelope, ServiceRef, SignatureInfo } from './envelope';
export { EnvelopeCodec, EnvelopeDecodeException } from './envelope-codec';
export type { EnvelopeRecord } from './envelope-codec';
export { EnvelopeHeader } from './envelope-headers';
export { ReplyWaiter } from './reply-waiter';
export type { ReplyWait } from './reply-waiter';
export { MESSAGE_ID_MAX_LENGTH, MESSAGE_ID_PATTERN, MESSAGE_ID_RULE, isValidMessageId } from './message-id';
