import { EnvReader } from '@korpu/config';
import type { DataKeysOptions } from './data-keys';
import { isDataKey } from './payload-cipher';

/** A key id is stored inside each sealed value (`korpu-sealed:<kid>:...`), so it is kept to a safe alphabet. */
const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * DATA_KEYS: `kid=base64-32-byte-key,...`, the keys personal data is encrypted with at rest in every store (message
 * log payloads, replies, failed messages); DATA_ACTIVE_KEY: the key id new values use (default: the last one
 * listed). Old keys stay listed so that what they encrypted stays readable. Required when NODE_ENV=production;
 * elsewhere, without keys, values are stored in clear (npm start and the test stacks generate development keys).
 * Problems name the variable and the entry's position, never a value: a key pasted without its kid (or into
 * DATA_ACTIVE_KEY) would otherwise be echoed as a key id.
 */
export function readDataKeys(read: EnvReader): DataKeysOptions {
  if (read.string('MESSAGE_LOG_KEYS') !== undefined || read.string('MESSAGE_LOG_ACTIVE_KEY') !== undefined) {
    read.problem(
      'MESSAGE_LOG_KEYS / MESSAGE_LOG_ACTIVE_KEY are now DATA_KEYS / DATA_ACTIVE_KEY (one setting for every store): move the entries over',
    );
  }
  const keys: Record<string, string> = {};
  read.list('DATA_KEYS', []).forEach((entry, index) => {
    const eq = entry.indexOf('=');
    const kid = eq < 0 ? '' : entry.slice(0, eq).trim();
    const key = eq < 0 ? '' : entry.slice(eq + 1).trim();
    if (!KEY_ID.test(kid)) read.problem(`DATA_KEYS entry ${index + 1} must look like kid=key with a kid of letters, digits, "_", "." or "-"`);
    else if (Object.hasOwn(keys, kid)) read.problem(`DATA_KEYS entry ${index + 1} repeats the key id of an earlier entry`);
    else if (!isDataKey(key)) read.problem(`DATA_KEYS entry ${index + 1} must be kid=<32 random bytes, base64-encoded>`);
    else keys[kid] = key;
  });
  const kids = Object.keys(keys);
  const active = read.string('DATA_ACTIVE_KEY');
  const production = read.string('NODE_ENV') === 'production';
  if (read.string('DATA_KEYS') === undefined) {
    if (production) read.problem('DATA_KEYS is required when NODE_ENV=production (kid=base64-32-byte-key,...; personal data is encrypted at rest)');
    if (active !== undefined) read.problem('DATA_ACTIVE_KEY is set but DATA_KEYS lists no keys');
    return { keys: {} };
  }
  if (active !== undefined && !KEY_ID.test(active)) {
    read.problem('DATA_ACTIVE_KEY must be a key id listed in DATA_KEYS');
    return { keys: {} };
  }
  if (active !== undefined && !Object.hasOwn(keys, active)) {
    read.problem('DATA_ACTIVE_KEY names a key id that DATA_KEYS does not list');
    return { keys: {} };
  }
  if (kids.length === 0) return { keys: {} };
  return { keys, activeKeyId: active ?? kids[kids.length - 1] };
}
