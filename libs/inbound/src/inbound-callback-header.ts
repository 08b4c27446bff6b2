/** HTTP headers of the callback a subsystem registers to receive inbound requests: defined here only. */
export const InboundCallbackHeader = {
  /** Who asks: the partner's client id, e.g. `AZ/GOV/1400000001/egov-portal`. */
  CLIENT: 'X-Road-Client',
  /** Körpü's message id of the request: answer the same id twice with the same reply. */
  ID: 'X-Road-Id',
  USER_ID: 'X-Road-UserId',
  OPERATION: 'X-Korpu-Operation',
  MESSAGE_TYPE: 'X-Korpu-Message-Type',
  SCHEMA_VERSION: 'X-Korpu-Schema-Version',
} as const;
