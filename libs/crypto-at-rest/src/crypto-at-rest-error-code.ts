/** Stable codes of encryption at rest (the data keys shared by every store that holds personal data). */
export enum CryptoAtRestErrorCode {
  /** A configured data key is not 32 bytes of base64, or the active key id is not configured. */
  KEY_INVALID = 'DATA_KEY_INVALID',
  /** A stored value was encrypted with a key id that is not configured (add the key back to DATA_KEYS to read it). */
  KEY_NOT_FOUND = 'DATA_KEY_NOT_FOUND',
  /** Encryption was asked for but no active key is configured. */
  ENCRYPTION_UNAVAILABLE = 'DATA_ENCRYPTION_UNAVAILABLE',
  /** AES-GCM refused a stored ciphertext (wrong key, or the ciphertext or the record it belongs to was changed). */
  DECRYPTION_FAILED = 'DATA_DECRYPTION_FAILED',
}
