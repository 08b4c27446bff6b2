import { KorpuException } from '@korpu/errors';

/** How a partner exchange failed. The retry policy reads only this code (and the partner's retryOn list). */
export enum PartnerErrorCode {
  TIMEOUT = 'PARTNER_TIMEOUT',
  UNAVAILABLE = 'PARTNER_UNAVAILABLE',
  CONNECTION_FAILED = 'PARTNER_CONNECTION_FAILED',
  TLS_FAILED = 'PARTNER_TLS_FAILED',
  SERVER_ERROR = 'PARTNER_SERVER_ERROR',
  CLIENT_ERROR = 'PARTNER_CLIENT_ERROR',
  SOAP_FAULT = 'PARTNER_SOAP_FAULT',
  REPLY_MALFORMED = 'PARTNER_REPLY_MALFORMED',
  REPLY_SIGNATURE_INVALID = 'PARTNER_REPLY_SIGNATURE_INVALID',
  REPLY_SCHEMA_INVALID = 'PARTNER_REPLY_SCHEMA_INVALID',
}

export class PartnerException extends KorpuException<PartnerErrorCode> {
  constructor(code: PartnerErrorCode, message: string, details?: Record<string, unknown>, cause?: unknown) {
    super(code, message, { status: 502, details, cause });
  }
}
