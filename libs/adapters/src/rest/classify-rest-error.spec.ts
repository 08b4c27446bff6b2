import { AxiosError, AxiosHeaders } from 'axios';
import { PartnerErrorCode } from '../partner.exception';
import { classifyRestError } from './classify-rest-error';

function responseError(status: number, headers: Record<string, string> = {}): AxiosError {
  const config = { headers: new AxiosHeaders() };
  return new AxiosError('failed', 'ERR_BAD_RESPONSE', config, {}, { status, statusText: '', headers, config, data: 'oops' });
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
    [new AxiosError('canceled', 'ERR_CANCELED'), PartnerErrorCode.TIMEOUT],
    [responseError(307), PartnerErrorCode.REDIRECTED],
    [responseError(301), PartnerErrorCode.REDIRECTED],
    // axios' own words when a reply passes maxContentLength
    [new AxiosError('maxContentLength size of 10485760 exceeded', AxiosError.ERR_BAD_RESPONSE), PartnerErrorCode.REPLY_TOO_LARGE],
  ])('classifies %s as %s', (error, code) => {
    expect(classifyRestError(error, 'tax-service').code).toBe(code);
  });

  it('keeps the HTTP status of a partner refusal', () => {
    expect(classifyRestError(responseError(404), 'tax-service').details).toMatchObject({ httpStatus: 404 });
  });

  it('names where a redirect pointed, without following it', () => {
    expect(classifyRestError(responseError(307, { location: 'http://elsewhere.example/x' }), 'tax-service').details).toMatchObject({
      httpStatus: 307,
      location: 'http://elsewhere.example/x',
    });
  });
});
