/** Stable codes of the store capability (PostgreSQL access and migrations). */
export enum StoreErrorCode {
  /** A statement failed for a reason not listed below (syntax, missing table, constraint other than unique...). */
  QUERY_FAILED = 'STORE_QUERY_FAILED',
  /** A unique or primary-key constraint refused the row (SQLSTATE 23505). */
  UNIQUE_VIOLATION = 'STORE_UNIQUE_VIOLATION',
  /** Serialization failure or deadlock (40001, 40P01): retrying the whole transaction may succeed. */
  TRANSACTION_CONFLICT = 'STORE_TRANSACTION_CONFLICT',
  /** The database could not be reached or dropped the connection: retrying later may succeed. */
  UNAVAILABLE = 'STORE_UNAVAILABLE',
  /** A transaction executor was used after its transaction had ended. */
  TRANSACTION_CLOSED = 'STORE_TRANSACTION_CLOSED',
  /** A migration file name does not follow `<YYYYMMDDHHMM>_<lib>_<what>.sql`. */
  MIGRATION_INVALID_NAME = 'STORE_MIGRATION_INVALID_NAME',
  /** Two migration files have the same name. */
  MIGRATION_DUPLICATE = 'STORE_MIGRATION_DUPLICATE',
  /** A migration directory does not exist. */
  MIGRATION_DIR_NOT_FOUND = 'STORE_MIGRATION_DIR_NOT_FOUND',
  /** An already applied migration file was changed afterwards. */
  MIGRATION_CHECKSUM_MISMATCH = 'STORE_MIGRATION_CHECKSUM_MISMATCH',
  /** A migration's SQL failed; its transaction was rolled back. */
  MIGRATION_FAILED = 'STORE_MIGRATION_FAILED',
}
