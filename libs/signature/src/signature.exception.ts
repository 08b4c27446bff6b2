import { KorpuException } from '@korpu/errors';
import { SignatureErrorCode } from './signature-error-code';

const STATUS: Partial<Record<SignatureErrorCode, number>> = {
  [SignatureErrorCode.XML_MALFORMED]: 400,
  [SignatureErrorCode.XML_DOCTYPE_FORBIDDEN]: 400,
  [SignatureErrorCode.XML_TOO_COMPLEX]: 400,
  [SignatureErrorCode.JWS_MALFORMED]: 400,
  [SignatureErrorCode.CRL_UNAVAILABLE]: 503,
  [SignatureErrorCode.OCSP_UNAVAILABLE]: 503,
  [SignatureErrorCode.OCSP_RESPONSE_INVALID]: 503,
  [SignatureErrorCode.OCSP_RESPONSE_STALE]: 503,
  [SignatureErrorCode.KEY_NOT_FOUND]: 500,
  [SignatureErrorCode.KEY_INVALID]: 500,
};

/** Revocation status could not be established: the message may be fine, try again later. */
const RETRYABLE = new Set<SignatureErrorCode>([
  SignatureErrorCode.CRL_UNAVAILABLE,
  SignatureErrorCode.OCSP_UNAVAILABLE,
  SignatureErrorCode.OCSP_RESPONSE_INVALID,
  SignatureErrorCode.OCSP_RESPONSE_STALE,
]);

/**
 * Any refusal by the signature capability. Status 401 (the message is not authentic) unless the code says
 * otherwise: 400 for unparsable input, 503 (retryable) when revocation status cannot be established,
 * 500 for local key configuration errors.
 */
export class SignatureException extends KorpuException<SignatureErrorCode> {
  constructor(code: SignatureErrorCode, message: string, details?: Record<string, unknown>, cause?: unknown) {
    super(code, message, {
      status: STATUS[code] ?? 401,
      retryable: RETRYABLE.has(code),
      details,
      cause,
    });
  }
}

export function isSignatureException(error: unknown, code?: SignatureErrorCode): error is SignatureException {
  return error instanceof SignatureException && (code === undefined || error.code === code);
}
