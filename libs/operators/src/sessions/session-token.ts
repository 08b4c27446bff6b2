import { createHash, randomBytes } from 'node:crypto';

/** Session tokens: 32 random bytes, base64url, with a prefix that says what they are (secret scanners find them). */
export const SESSION_TOKEN_PREFIX = 'korpu_s_';

export function newSessionToken(): string {
  return `${SESSION_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** What is stored instead of the token: SHA-256, hex (the token is random, so no salt or slow hash is needed). */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The public id of a session (audit trail, session lists): the first 16 hex digits of a hash of the token hash. */
export function sessionIdOf(hash: string): string {
  return createHash('sha256').update(`session-id:${hash}`, 'utf8').digest('hex').slice(0, 16);
}
