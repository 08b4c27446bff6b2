import { KorpuException } from '@korpu/errors';
import { XRoadErrorCode } from './xroad-error-code';

/** A SOAP/X-Road message that cannot be read or built. Always the sender's fault (400 → SOAP Client fault). */
export class XRoadException extends KorpuException<XRoadErrorCode> {
  constructor(code: XRoadErrorCode, message: string, details?: Record<string, unknown>, cause?: unknown) {
    super(code, message, { status: 400, details, cause });
  }
}
