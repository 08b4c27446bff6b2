import { EnvReader } from '@korpu/config';
import type { MessageLogModuleOptions } from './message-log.options';

/**
 * MESSAGE_LOG_KEYS: `kid=base64-32-byte-key,...` to encrypt payloads at rest; MESSAGE_LOG_ACTIVE_KEY: the kid
 * new records use (default: the last one listed). No keys: payloads are stored as they are.
 */
export function readMessageLogOptions(read: EnvReader): MessageLogModuleOptions {
  const encryptionKeys = read.map('MESSAGE_LOG_KEYS');
  const kids = Object.keys(encryptionKeys);
  return kids.length === 0
    ? {}
    : { encryptionKeys, activeKeyId: read.string('MESSAGE_LOG_ACTIVE_KEY', kids[kids.length - 1]) };
}
