import { isSignatureException, SignatureErrorCode } from '@korpu/signature';
import { SoapFault, XRoadErrorCode, XRoadException } from '@korpu/xroad';
import { PartnerErrorCode, PartnerException } from '../partner.exception';
import { classifyRestError, isRedirect, redirected } from '../rest/classify-rest-error';
import { replySignatureFailure } from '../reply-signature';

/** What a partner answered at the HTTP level when it did not send a usable reply. */
export interface SoapHttpFailure {
  httpStatus: number;
  body: string;
  /** The Fault in the body, when the body was a SOAP Fault. */
  fault?: SoapFault;
  /** The Location header of a 3xx. */
  location?: string;
}

const UNPARSABLE = new Set<string>([
  SignatureErrorCode.XML_MALFORMED,
  SignatureErrorCode.XML_DOCTYPE_FORBIDDEN,
  XRoadErrorCode.MESSAGE_MALFORMED,
  XRoadErrorCode.DOCTYPE_FORBIDDEN,
  XRoadErrorCode.BODY_INVALID,
  XRoadErrorCode.HEADER_INVALID,
]);

/**
 * The one place that decides what a failed SOAP call to a partner means: a SOAP Fault, an HTTP status without
 * a Fault, a reply that is not XML (or has a DOCTYPE), a reply whose signature or request hash does not check
 * out, or a transport failure (timeout, refused, reset, TLS), which the REST classifier already knows.
 */
export function classifySoapError(error: unknown, partnerId: string): PartnerException {
  if (error instanceof PartnerException) return error;
  const where = `partner ${partnerId}`;
  if (isSignatureException(error) && !UNPARSABLE.has(error.code)) return replySignatureFailure(error, partnerId);
  if ((isSignatureException(error) || error instanceof XRoadException) && UNPARSABLE.has(error.code)) {
    return new PartnerException(PartnerErrorCode.REPLY_MALFORMED, `${where} replied with an unusable SOAP message: ${error.message}`, {
      reason: error.code,
    }, error);
  }
  return classifyRestError(error, partnerId);
}

/** A non-2xx HTTP answer, or a 2xx carrying a Fault. */
export function classifySoapHttpFailure(failure: SoapHttpFailure, partnerId: string): PartnerException {
  const where = `partner ${partnerId}`;
  const base = { httpStatus: failure.httpStatus };
  if (failure.fault) {
    const { faultcode, faultstring, code } = failure.fault;
    // Client or Server, the faultcode travels in the details; whether a SOAP Fault is retried is the partner's retryOn.
    return new PartnerException(PartnerErrorCode.SOAP_FAULT, `${where} answered with a SOAP Fault (${faultcode}): ${faultstring}`, {
      ...base,
      faultcode,
      faultstring,
      ...(code ? { partnerCode: code } : {}),
    });
  }
  const details = { ...base, body: failure.body.slice(0, 500) };
  if (isRedirect(failure.httpStatus)) return redirected(partnerId, failure.httpStatus, failure.location);
  if (failure.httpStatus >= 500 || failure.httpStatus === 429) {
    return new PartnerException(PartnerErrorCode.SERVER_ERROR, `${where} answered HTTP ${failure.httpStatus}`, details);
  }
  return new PartnerException(PartnerErrorCode.CLIENT_ERROR, `${where} refused the request with HTTP ${failure.httpStatus}`, details);
}
