/** Stable codes of the message-log capability (tamper-evident log of every message in and out of Körpü). */
export enum MessageLogErrorCode {
  /** A command was given an invalid argument (e.g. a negative number of days). */
  INVALID_ARGUMENT = 'MESSAGE_LOG_INVALID_ARGUMENT',
  /** An entry to append lacks a required field or has an invalid one (e.g. an unparsable timestamp). */
  ENTRY_INVALID = 'MESSAGE_LOG_ENTRY_INVALID',
  /** A configured payload encryption key is not 32 bytes of base64, or the active key id is not configured. */
  KEY_INVALID = 'MESSAGE_LOG_KEY_INVALID',
  /** A record's payload was encrypted with a key id that is not configured (it can still be verified, not read). */
  KEY_NOT_FOUND = 'MESSAGE_LOG_KEY_NOT_FOUND',
  /** Encryption was asked for an entry but no active key is configured. */
  ENCRYPTION_UNAVAILABLE = 'MESSAGE_LOG_ENCRYPTION_UNAVAILABLE',
  /** AES-GCM refused a stored ciphertext (wrong key, or the ciphertext / its record was changed). */
  DECRYPTION_FAILED = 'MESSAGE_LOG_DECRYPTION_FAILED',
  /** The hash chain is broken; details name the first broken record. */
  CHAIN_BROKEN = 'MESSAGE_LOG_CHAIN_BROKEN',
  /** An archive file, its manifest or its signature does not verify. */
  ARCHIVE_INVALID = 'MESSAGE_LOG_ARCHIVE_INVALID',
  /** The log changed while an archive was being made (another archiver, or records changed): nothing was deleted. */
  ARCHIVE_CONFLICT = 'MESSAGE_LOG_ARCHIVE_CONFLICT',
}
