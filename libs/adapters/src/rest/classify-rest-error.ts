import { AxiosError } from 'axios';
import { PartnerErrorCode, PartnerException } from '../partner.exception';

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** The one place that decides what a failed REST call to a partner means. */
export function classifyRestError(error: unknown, partnerId: string): PartnerException {
  if (error instanceof PartnerException) return error;
  const axiosError = error as AxiosError;
  const code = axiosError.code ?? (axiosError.cause as { code?: string } | undefined)?.code;
  const where = `partner ${partnerId}`;
  if (axiosError.response) {
    const status = axiosError.response.status;
    const details = { httpStatus: status, body: String(axiosError.response.data ?? '').slice(0, 500) };
    if (status >= 500 || status === 429) {
      return new PartnerException(PartnerErrorCode.SERVER_ERROR, `${where} answered HTTP ${status}`, details, error);
    }
    return new PartnerException(PartnerErrorCode.CLIENT_ERROR, `${where} refused the request with HTTP ${status}`, details, error);
  }
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED') {
    return new PartnerException(PartnerErrorCode.TIMEOUT, `${where} did not answer in time`, { errno: code }, error);
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') {
    return new PartnerException(PartnerErrorCode.UNAVAILABLE, `${where} is unreachable (${code})`, { errno: code }, error);
  }
  if (code && TLS_CODES.has(code)) {
    return new PartnerException(PartnerErrorCode.TLS_FAILED, `TLS with ${where} failed (${code})`, { errno: code }, error);
  }
  return new PartnerException(
    PartnerErrorCode.CONNECTION_FAILED,
    `The connection to ${where} failed (${code ?? (error as Error).message})`,
    { errno: code },
    error,
  );
}
