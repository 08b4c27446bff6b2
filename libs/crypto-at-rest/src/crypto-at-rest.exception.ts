import { KorpuException } from '@korpu/errors';
import { CryptoAtRestErrorCode } from './crypto-at-rest-error-code';

/** Every refusal of encryption at rest: stored data Körpü wrote itself, so all are server-side (500). */
export class CryptoAtRestException extends KorpuException<CryptoAtRestErrorCode> {
  constructor(code: CryptoAtRestErrorCode, message: string, details?: Record<string, unknown>, cause?: unknown) {
    super(code, message, { status: 500, retryable: false, details, cause });
  }
}
