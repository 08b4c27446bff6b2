/** Stable codes of the message-log capability (tamper-evident log of every message in and out of Körpü). */
export enum MessageLogErrorCode {
  /** A command was given an invalid argument (e.g. a negative number of days). */
  INVALID_ARGUMENT = 'MESSAGE_LOG_INVALID_ARGUMENT',
  /** An entry to append lacks a required field or has an invalid one (e.g. an unparsable timestamp). */
  ENTRY_INVALID = 'MESSAGE_LOG_ENTRY_INVALID',
  // Payload encryption refusals (key invalid or missing, decryption failed) are CryptoAtRestErrorCode (DATA_*).
  /** The hash chain is broken; details name the first broken record. */
  CHAIN_BROKEN = 'MESSAGE_LOG_CHAIN_BROKEN',
  /** An archive file, its manifest or its signature does not verify. */
  ARCHIVE_INVALID = 'MESSAGE_LOG_ARCHIVE_INVALID',
  /** The log changed while an archive was being made (another archiver, or records changed): nothing was deleted. */
  ARCHIVE_CONFLICT = 'MESSAGE_LOG_ARCHIVE_CONFLICT',
}
