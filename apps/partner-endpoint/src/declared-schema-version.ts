import { XRoadHeader } from '@korpu/adapters';

/** The request schema version a partner declares in X-Korpu-Schema-Version (SOAP and REST alike), if any. */
export function declaredSchemaVersion(headers: Record<string, string | string[] | undefined>): string | undefined {
  const value = headers[XRoadHeader.SCHEMA_VERSION.toLowerCase()];
  const version = Array.isArray(value) ? value[0] : value;
  return version?.trim() || undefined;
}
