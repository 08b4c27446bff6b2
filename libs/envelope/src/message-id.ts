/**
 * The one rule for every id a caller may choose (message id, correlation id, X-Road id), at every entry: the
 * internal API, the partner endpoint, the admin API. Short enough for every column, header and log line it lands
 * in, and no character that needs escaping in a URL path, an HTTP header, a SOAP header or a Kafka header.
 */
export const MESSAGE_ID_MAX_LENGTH = 128;
export const MESSAGE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const MESSAGE_ID_RULE = `1 to ${MESSAGE_ID_MAX_LENGTH} characters of A-Z a-z 0-9 . _ : -, starting with a letter or digit`;

export function isValidMessageId(value: unknown): value is string {
  return typeof value === 'string' && MESSAGE_ID_PATTERN.test(value);
}
