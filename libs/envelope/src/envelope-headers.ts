/** Kafka header names of the envelope: defined here only. */
export const EnvelopeHeader = {
  MESSAGE_ID: 'korpu-message-id',
  CORRELATION_ID: 'korpu-correlation-id',
  CLIENT: 'korpu-client',
  SERVICE: 'korpu-service',
  MESSAGE_TYPE: 'korpu-message-type',
  SCHEMA_VERSION: 'korpu-schema-version',
  CREATED_AT: 'korpu-created-at',
  DIRECTION: 'korpu-direction',
  CONTENT_TYPE: 'korpu-content-type',
  IN_REPLY_TO: 'korpu-in-reply-to',
  USER_ID: 'korpu-user-id',
  REPLAY_OF: 'korpu-replay-of',
  ATTEMPT: 'korpu-attempt',
  SIGNATURE: 'korpu-signature',
} as const;
