/** HTTP headers of the X-Road REST message protocol, plus Körpü's own: defined here only. */
export const XRoadHeader = {
  CLIENT: 'X-Road-Client',
  SERVICE: 'X-Road-Service',
  ID: 'X-Road-Id',
  USER_ID: 'X-Road-UserId',
  ISSUE: 'X-Road-Issue',
  REQUEST_HASH: 'X-Road-Request-Hash',
  MESSAGE_TYPE: 'X-Korpu-Message-Type',
  SCHEMA_VERSION: 'X-Korpu-Schema-Version',
  SIGNATURE: 'X-Korpu-Signature',
} as const;
