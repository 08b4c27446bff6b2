/** A DN in one spelling for comparisons: lower case, no blanks around `,` `=` `+` (enough for configured group DNs). */
export function normalizeDn(dn: string): string {
  return dn
    .trim()
    .replace(/\s*([,=+])\s*/g, '$1')
    .toLowerCase();
}

/** RFC 4515 escaping of a value put into a search filter, so a user name cannot change the filter. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\u0000]/g, (char) => `\\${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
