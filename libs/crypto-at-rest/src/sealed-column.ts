import { PayloadCipher } from './payload-cipher';

/**
 * Prefix of an encrypted column value: `korpu-sealed:<kid>:v1.<base64(iv || ciphertext || tag)>`. Values without it
 * were written before encryption at rest (or with no active key) and are read as they are.
 */
export const SEALED_PREFIX = 'korpu-sealed:';

/**
 * One text column encrypted at rest in place: the key id travels inside the value, so the column keeps its type
 * and old rows need no migration. Each value is bound to its column (the cipher's purpose) and its row id.
 */
export class SealedColumn {
  constructor(private readonly cipher: PayloadCipher) {}

  /** Encrypts with the active key; without one (development without keys) the value is stored as it is. */
  seal(plaintext: string, recordId: string): string;
  seal(plaintext: string | null, recordId: string): string | null;
  seal(plaintext: string | null, recordId: string): string | null {
    if (plaintext === null || !this.cipher.canEncrypt) return plaintext;
    const { keyId, ciphertext } = this.cipher.encrypt(plaintext, recordId);
    return `${SEALED_PREFIX}${keyId}:${ciphertext}`;
  }

  /**
   * The prefix of values sealed under the active key (`korpu-sealed:<active kid>:`): a value without it is plain or
   * under an older key, and is rewritten by a re-encryption. Undefined without an active key.
   */
  get currentPrefix(): string | undefined {
    return this.cipher.activeKeyId === undefined ? undefined : `${SEALED_PREFIX}${this.cipher.activeKeyId}:`;
  }

  /** The value sealed under the active key: what a re-encryption writes back (plain and older values alike). */
  reseal(stored: string, recordId: string): string {
    return this.seal(this.open(stored, recordId), recordId);
  }

  /** @throws KEY_NOT_FOUND / DECRYPTION_FAILED for a sealed value that cannot be read; plain values pass through */
  open(stored: string, recordId: string): string;
  open(stored: string | null, recordId: string): string | null;
  open(stored: string | null, recordId: string): string | null {
    if (stored === null || !stored.startsWith(SEALED_PREFIX)) return stored;
    const rest = stored.slice(SEALED_PREFIX.length);
    const colon = rest.indexOf(':');
    return this.cipher.decrypt({ keyId: colon < 0 ? '' : rest.slice(0, colon), ciphertext: rest.slice(colon + 1) }, recordId);
  }
}
