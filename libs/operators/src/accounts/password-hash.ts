import { randomBytes, scrypt as scryptCallback, ScryptOptions, timingSafeEqual } from 'node:crypto';

/**
 * Password hashes of local (break-glass) accounts: scrypt (RFC 7914) in a PHC-like string,
 * `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt, base64>$<key, base64>`. Defaults: N = 2^15, r = 8, p = 3 (32 MiB per
 * hash; one of OWASP's recommended scrypt settings), 16-byte salt, 32-byte key.
 */
const PATTERN = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;
const DEFAULT = { ln: 15, r: 8, p: 3 };
const KEY_BYTES = 32;

function scrypt(password: string, salt: Buffer, ln: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** ln, r, p, maxmem: 256 * 2 ** ln * r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export function isPasswordHash(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = PATTERN.exec(value);
  if (!match) return false;
  const [ln, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return ln >= 14 && ln <= 22 && r >= 8 && r <= 32 && p >= 1 && p <= 16 && Buffer.from(match[5], 'base64').length === KEY_BYTES;
}

export async function hashPassword(password: string, cost: { ln: number; r: number; p: number } = DEFAULT): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, cost.ln, cost.r, cost.p);
  return `$scrypt$ln=${cost.ln},r=${cost.r},p=${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Constant-time comparison; false for a malformed hash. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const match = PATTERN.exec(hash);
  if (!match || !isPasswordHash(hash)) return false;
  const expected = Buffer.from(match[5], 'base64');
  const key = await scrypt(password, Buffer.from(match[4], 'base64'), Number(match[1]), Number(match[2]), Number(match[3]));
  return timingSafeEqual(key, expected);
}

/** A hash of nothing anyone knows, verified for unknown users so that their answer takes as long as a known one's. */
export const DUMMY_PASSWORD_HASH = `$scrypt$ln=${DEFAULT.ln},r=${DEFAULT.r},p=${DEFAULT.p}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_BYTES).toString('base64')}`;
