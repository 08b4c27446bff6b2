import { isRevocationUnavailable, SignatureException } from '@korpu/signature';
import { PartnerErrorCode, PartnerException } from './partner.exception';

/**
 * What a refused reply signature means, for both drivers: "we cannot check revocation right now" (CRL expired
 * or missing, OCSP responder down) is REVOCATION_UNAVAILABLE, retried later; anything else is a bad signature,
 * REPLY_SIGNATURE_INVALID, never retried. The signature capability's own code travels in the details.
 */
export function replySignatureFailure(error: SignatureException, partnerId: string): PartnerException {
  if (isRevocationUnavailable(error)) {
    return new PartnerException(
      PartnerErrorCode.REVOCATION_UNAVAILABLE,
      `The reply signature of partner ${partnerId} could not be checked now: ${error.message}`,
      { signatureCode: error.code },
      error,
    );
  }
  return new PartnerException(
    PartnerErrorCode.REPLY_SIGNATURE_INVALID,
    `The reply signature of partner ${partnerId} was refused: ${error.message}`,
    { signatureCode: error.code },
    error,
  );
}
