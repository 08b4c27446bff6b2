import { KorpuException } from '@korpu/errors';

export enum AccessErrorCode {
  UNKNOWN_CLIENT = 'CLIENT_UNKNOWN',
  CLIENT_MISSING = 'CLIENT_MISSING',
  CLIENT_DISABLED = 'CLIENT_DISABLED',
  ACCESS_DENIED = 'ACCESS_DENIED',
  /** No TLS client certificate, an untrusted one, or one registered for no client. */
  CLIENT_UNAUTHENTICATED = 'CLIENT_UNAUTHENTICATED',
  /** The caller names (X-Road-Client) another client than the one it authenticated as. */
  CLIENT_MISMATCH = 'CLIENT_MISMATCH',
  /** contracts/clients.json cannot be used (boot error). */
  CLIENTS_FILE_INVALID = 'CLIENTS_FILE_INVALID',
}

const STATUS: Record<AccessErrorCode, number> = {
  [AccessErrorCode.UNKNOWN_CLIENT]: 401,
  [AccessErrorCode.CLIENT_MISSING]: 401,
  [AccessErrorCode.CLIENT_DISABLED]: 403,
  [AccessErrorCode.ACCESS_DENIED]: 403,
  [AccessErrorCode.CLIENT_UNAUTHENTICATED]: 401,
  [AccessErrorCode.CLIENT_MISMATCH]: 403,
  [AccessErrorCode.CLIENTS_FILE_INVALID]: 500,
};

export class AccessException extends KorpuException<AccessErrorCode> {
  constructor(code: AccessErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, { status: STATUS[code], details });
  }
}
