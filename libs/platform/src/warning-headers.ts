/**
 * Headers that tell a caller its message used a deprecated schema version (RFC 9745 `Deprecation`, plus a
 * `Warning` per message), without refusing it.
 */
export function deprecationHeaders(warnings: readonly string[]): Record<string, string> {
  if (warnings.length === 0) return {};
  return {
    deprecation: 'true',
    warning: warnings.map((warning) => `299 korpu "${warning.replace(/"/g, "'")}"`).join(', '),
  };
}
