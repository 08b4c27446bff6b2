/**
 * @korpu/crypto-at-rest — personal data encrypted at rest with one set of data keys for every store.
 *
 * - PayloadCipher: AES-256-GCM under a key id, bound to a purpose (where the value is stored) and a record id
 * - SealedColumn: a text column encrypted in place (`korpu-sealed:<kid>:...`); older plain values read as they are
 * - DataKeys / DataKeysModule.forRoot(readDataKeys(read)): the app's keys (DATA_KEYS, DATA_ACTIVE_KEY), app-wide
 * - ensureDevDataKeys(dir): development keys generated once under .local/ (npm start, test stacks)
 * Rotation: docs/keys.md.
 */
export { PayloadCipher, isDataKey } from './payload-cipher';
export type { SealedPayload } from './payload-cipher';
export { SealedColumn, SEALED_PREFIX } from './sealed-column';
export { DataKeys } from './data-keys';
export type { DataKeysOptions } from './data-keys';
export { DataKeysModule } from './data-keys.module';
export { readDataKeys } from './data-keys.config';
export { ensureDevDataKeys } from './dev-data-keys';
export { CryptoAtRestErrorCode } from './crypto-at-rest-error-code';
export { CryptoAtRestException } from './crypto-at-rest.exception';
