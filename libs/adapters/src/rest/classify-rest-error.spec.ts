import { AxiosError, AxiosHeaders } from 'axios';
import { PartnerErrorCode } from '../partner.exception';
import { classifyRestError } from './classify-rest-error';

function responseError(status: number): AxiosError {
  const config = { headers: new AxiosHeaders() };
  return new AxiosError('failed', 'ERR_BAD_RESPONSE', config, {}, { status, statusText: '', headers: {}, config, data: 'oops' });
}

describe('classifyRestError', () => {
  it.each([
    [responseError(503), PartnerErrorCode.SERVER_ERROR],
    [responseError(429), PartnerErrorCode.SERVER_ERROR],
    [responseError(400), PartnerErrorCode.CLIENT_ERROR],
    [new AxiosError('timeout', 'ECONNABORTED'), PartnerErrorCode.TIMEOUT],
    [new AxiosError('refused', 'ECONNREFUSED'), PartnerErrorCode.UNAVAILABLE],
    [new AxiosError('reset', 'ECONNRESET'), PartnerErrorCode.CONNECTION_FAILED],
    [new AxiosError('cert', 'CERT_HAS_EXPIRED'), PartnerErrorCode.TLS_FAILED],
    [new AxiosError('partner CA unknown to us', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'), PartnerErrorCode.TLS_FAILED],
    [new AxiosError('partner wants a client certificate', 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'), PartnerErrorCode.TLS_FAILED],
    [new AxiosError('partner does not trust ours', 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'), PartnerErrorCode.TLS_FAILED],
    [new AxiosError('wrong name', 'ERR_TLS_CERT_ALTNAME_INVALID'), PartnerErrorCode.TLS_FAILED],
    [new AxiosError('plain HTTP on the other end', 'ERR_SSL_WRONG_VERSION_NUMBER'), PartnerErrorCode.TLS_FAILED],
    [new AxiosError('handshake too slow', 'ERR_TLS_HANDSHAKE_TIMEOUT'), PartnerErrorCode.TIMEOUT],
  ])('classifies %s as %s', (error, code) => {
    expect(classifyRestError(error, 'tax-service').code).toBe(code);
  });

  it('keeps the HTTP status of a partner refusal', () => {
    expect(classifyRestError(responseError(404), 'tax-service').details).toMatchObject({ httpStatus: 404 });
  });
});
