import type { DataKeysOptions } from '@korpu/crypto-at-rest';
import type { MessageLogModuleOptions } from './message-log.options';

/**
 * The message log encrypts payloads with the deployment's data keys (DATA_KEYS / DATA_ACTIVE_KEY, read once by the
 * app with readDataKeys from @korpu/crypto-at-rest). No active key: payloads are stored as they are.
 */
export function messageLogOptions(dataKeys: DataKeysOptions): MessageLogModuleOptions {
  return dataKeys.activeKeyId === undefined ? {} : { encryptionKeys: dataKeys.keys, activeKeyId: dataKeys.activeKeyId };
}
