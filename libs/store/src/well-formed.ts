/**
 * Lone UTF-16 surrogates (a JSON `"\ud800"` parsed into a string): UTF-8, which carries text to the database, cannot
 * hold them. In a text parameter the driver's encoding puts U+FFFD in their place; in a json/jsonb parameter
 * JSON.stringify writes the escape `\ud800`, which PostgreSQL refuses (`invalid input syntax for type json`), failing
 * the statement and every row batched into it.
 */

/** The text as UTF-8 will store it: each lone surrogate replaced by U+FFFD, well-formed pairs kept (the platform's toWellFormed). */
export function wellFormed(text: string): string;
export function wellFormed(text: string | undefined): string | undefined;
export function wellFormed(text: string | undefined): string | undefined {
  return text?.toWellFormed();
}

/** A JSON-able value with its strings and keys made well-formed (wellFormed); other values, and toJSON objects, as they are. */
export function wellFormedValue<T>(value: T): T {
  if (typeof value === 'string') return wellFormed(value) as T;
  if (Array.isArray(value)) return value.map(wellFormedValue) as T;
  if (value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  return Object.fromEntries(Object.entries(value).map(([key, member]) => [wellFormed(key), wellFormedValue(member)])) as T;
}

/** A value as the text of a json/jsonb parameter: JSON of its well-formed form (wellFormedValue), which PostgreSQL accepts. */
export function jsonParam(value: unknown): string {
  return JSON.stringify(wellFormedValue(value));
}
