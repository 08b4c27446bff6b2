import { DEADLINE, MAX_REPLY_BYTES, PartnerHttpResponse, TOO_LARGE } from '../partner-http-clients';
import { PartnerErrorCode, PartnerException } from '../partner.exception';

/** OpenSSL's verdicts on the partner's server certificate, as Node names them (X509_V_ERR_* without the prefix). */
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
]);

/**
 * A TLS failure: the partner's certificate was refused, or the handshake failed — among others the partner's
 * alert that it wants a client certificate (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED) or does not trust ours
 * (ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE, ..._UNKNOWN_CA), a wrong protocol (ERR_SSL_WRONG_VERSION_NUMBER), or a
 * TLS 1.2 alert (EPROTO). A refusal in the middle of the handshake can also reach us as a bare ECONNRESET, which
 * is indistinguishable from any other reset and stays a connection failure.
 */
function isTlsFailure(code: string): boolean {
  return CERTIFICATE_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO';
}

/** What a non-2xx answer of a REST partner means: a redirect (never followed), a server error, or a refusal. */
export function classifyRestStatus(response: PartnerHttpResponse, partnerId: string): PartnerException {
  const { status } = response;
  const where = `partner ${partnerId}`;
  if (isRedirect(status)) {
    const location = response.headers.location;
    return redirected(partnerId, status, typeof location === 'string' ? location : undefined);
  }
  const details = { httpStatus: status, body: response.body.slice(0, 500) };
  if (status >= 500 || status === 429) return new PartnerException(PartnerErrorCode.SERVER_ERROR, `${where} answered HTTP ${status}`, details);
  return new PartnerException(PartnerErrorCode.CLIENT_ERROR, `${where} refused the request with HTTP ${status}`, details);
}

/** The one place that decides what a failed call to a partner means when no whole answer came (REST and SOAP). */
export function classifyRestError(error: unknown, partnerId: string): PartnerException {
  if (error instanceof PartnerException) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  const errno = typeof code === 'string' ? code : undefined;
  const where = `partner ${partnerId}`;
  if (errno === TOO_LARGE) {
    return new PartnerException(PartnerErrorCode.REPLY_TOO_LARGE, `${where} sent a reply larger than ${MAX_REPLY_BYTES} bytes`, { maxBytes: MAX_REPLY_BYTES }, error);
  }
  if (errno === DEADLINE || errno === 'ETIMEDOUT' || errno === 'ERR_TLS_HANDSHAKE_TIMEOUT') {
    return new PartnerException(PartnerErrorCode.TIMEOUT, `${where} did not answer in time`, { errno }, error);
  }
  if (errno === 'ECONNREFUSED' || errno === 'ENOTFOUND' || errno === 'EHOSTUNREACH') {
    return new PartnerException(PartnerErrorCode.UNAVAILABLE, `${where} is unreachable (${errno})`, { errno }, error);
  }
  if (errno && isTlsFailure(errno)) {
    return new PartnerException(PartnerErrorCode.TLS_FAILED, `TLS with ${where} failed (${errno}: ${(error as Error).message})`, { errno }, error);
  }
  return new PartnerException(
    PartnerErrorCode.CONNECTION_FAILED,
    `The connection to ${where} failed (${errno ?? (error as Error)?.message ?? String(error)})`,
    { errno },
    error,
  );
}

export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}

/** A 3xx answer: not followed, so the signed request never reaches the address the partner names. */
export function redirected(partnerId: string, status: number, location: string | undefined, cause?: unknown): PartnerException {
  return new PartnerException(
    PartnerErrorCode.REDIRECTED,
    `partner ${partnerId} answered HTTP ${status} (a redirect, not followed)`,
    { httpStatus: status, ...(location ? { location: location.slice(0, 500) } : {}) },
    cause,
  );
}
