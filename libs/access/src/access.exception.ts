import { KorpuException } from '@korpu/errors';

export enum AccessErrorCode {
  UNKNOWN_CLIENT = 'CLIENT_UNKNOWN',
  CLIENT_MISSING = 'CLIENT_MISSING',
  CLIENT_DISABLED = 'CLIENT_DISABLED',
  ACCESS_DENIED = 'ACCESS_DENIED',
}

export class AccessException extends KorpuException<AccessErrorCode> {
  constructor(code: AccessErrorCode, message: string) {
    super(code, message, { status: code === AccessErrorCode.ACCESS_DENIED ? 403 : 401 });
  }
}
