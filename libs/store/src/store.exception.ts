import { KorpuException } from '@korpu/errors';
import { StoreErrorCode } from './store-error-code';

export interface StoreExceptionOptions {
  /** PostgreSQL SQLSTATE when the server answered (e.g. '23505'). */
  sqlState?: string;
  /** Name of the constraint that refused the row, when there is one. */
  constraint?: string;
  retryable?: boolean;
  details?: Record<string, unknown>;
  cause?: unknown;
}

const STATUS: Record<StoreErrorCode, number> = {
  [StoreErrorCode.QUERY_FAILED]: 500,
  [StoreErrorCode.UNIQUE_VIOLATION]: 409,
  [StoreErrorCode.TRANSACTION_CONFLICT]: 503,
  [StoreErrorCode.UNAVAILABLE]: 503,
  [StoreErrorCode.TRANSACTION_CLOSED]: 500,
  [StoreErrorCode.MIGRATION_INVALID_NAME]: 500,
  [StoreErrorCode.MIGRATION_DUPLICATE]: 500,
  [StoreErrorCode.MIGRATION_DIR_NOT_FOUND]: 500,
  [StoreErrorCode.MIGRATION_CHECKSUM_MISMATCH]: 500,
  [StoreErrorCode.MIGRATION_FAILED]: 500,
};

/** Every failure of the store, driver errors included, so callers never handle pg or PGlite error types. */
export class StoreException extends KorpuException<StoreErrorCode> {
  readonly sqlState?: string;
  readonly constraint?: string;

  constructor(code: StoreErrorCode, message: string, options: StoreExceptionOptions = {}) {
    super(code, message, {
      status: STATUS[code],
      retryable: options.retryable ?? (code === StoreErrorCode.TRANSACTION_CONFLICT || code === StoreErrorCode.UNAVAILABLE),
      details: options.details,
      cause: options.cause,
    });
    this.sqlState = options.sqlState;
    this.constraint = options.constraint;
  }
}

const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

/** Turns an error thrown by pg or PGlite into a StoreException (a StoreException passes through unchanged). */
export function toStoreException(error: unknown): StoreException {
  if (error instanceof StoreException) return error;
  const e = (error ?? {}) as { code?: unknown; message?: unknown; constraint?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' && e.message ? e.message : String(error);
  const constraint = typeof e.constraint === 'string' ? e.constraint : undefined;
  const sqlState = code && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  let storeCode = StoreErrorCode.QUERY_FAILED;
  if (sqlState === '23505') storeCode = StoreErrorCode.UNIQUE_VIOLATION;
  else if (sqlState === '40001' || sqlState === '40P01') storeCode = StoreErrorCode.TRANSACTION_CONFLICT;
  else if (
    (sqlState && (sqlState.startsWith('08') || sqlState.startsWith('57P') || sqlState === '53300')) ||
    (code && CONNECTION_ERRNOS.has(code)) ||
    /Connection terminated|connection timeout|Client has encountered a connection error|pool (?:is|has been) (?:ended|closed)|Cannot use a pool after calling end|PGlite is closed/i.test(
      message,
    )
  ) {
    storeCode = StoreErrorCode.UNAVAILABLE;
  }
  return new StoreException(storeCode, message, { sqlState, constraint, cause: error });
}
