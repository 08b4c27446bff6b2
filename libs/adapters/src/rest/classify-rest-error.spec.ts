import { DEADLINE, PartnerHttpError, PartnerHttpResponse, TOO_LARGE } from '../partner-http-clients';
import { PartnerErrorCode } from '../partner.exception';
import { classifyRestError, classifyRestStatus } from './classify-rest-error';

const answer = (status: number, headers: Record<string, string> = {}): PartnerHttpResponse => ({ status, headers, body: 'oops' });
const failed = (code: string, message = code) => new PartnerHttpError(code, message);

describe('classifyRestStatus', () => {
  it.each([
    [503, PartnerErrorCode.SERVER_ERROR],
    [429, PartnerErrorCode.SERVER_ERROR],
    [400, PartnerErrorCode.CLIENT_ERROR],
    [404, PartnerErrorCode.CLIENT_ERROR],
    [307, PartnerErrorCode.REDIRECTED],
    [301, PartnerErrorCode.REDIRECTED],
  ])('classifies HTTP %s as %s', (status, code) => {
    expect(classifyRestStatus(answer(status), 'tax-service').code).toBe(code);
  });

  it('keeps the HTTP status and the start of the body of a partner refusal', () => {
    expect(classifyRestStatus(answer(404), 'tax-service').details).toMatchObject({ httpStatus: 404, body: 'oops' });
  });

  it('names where a redirect pointed, without following it', () => {
    expect(classifyRestStatus(answer(307, { location: 'http://elsewhere.example/x' }), 'tax-service').details).toMatchObject({
      httpStatus: 307,
      location: 'http://elsewhere.example/x',
    });
  });
});

describe('classifyRestError', () => {
  it.each([
    [failed(DEADLINE), PartnerErrorCode.TIMEOUT],
    [failed('ETIMEDOUT'), PartnerErrorCode.TIMEOUT],
    [failed('ECONNREFUSED'), PartnerErrorCode.UNAVAILABLE],
    [failed('ENOTFOUND'), PartnerErrorCode.UNAVAILABLE],
    [failed('ECONNRESET'), PartnerErrorCode.CONNECTION_FAILED],
    [failed('CERT_HAS_EXPIRED'), PartnerErrorCode.TLS_FAILED],
    [failed('UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'partner CA unknown to us'), PartnerErrorCode.TLS_FAILED],
    [failed('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'partner wants a client certificate'), PartnerErrorCode.TLS_FAILED],
    [failed('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'partner does not trust ours'), PartnerErrorCode.TLS_FAILED],
    [failed('ERR_TLS_CERT_ALTNAME_INVALID', 'wrong name'), PartnerErrorCode.TLS_FAILED],
    [failed('ERR_SSL_WRONG_VERSION_NUMBER', 'plain HTTP on the other end'), PartnerErrorCode.TLS_FAILED],
    [failed('ERR_TLS_HANDSHAKE_TIMEOUT', 'handshake too slow'), PartnerErrorCode.TIMEOUT],
    [failed(TOO_LARGE), PartnerErrorCode.REPLY_TOO_LARGE],
    [new Error('something else'), PartnerErrorCode.CONNECTION_FAILED],
  ])('classifies %s as %s', (error, code) => {
    expect(classifyRestError(error, 'tax-service').code).toBe(code);
  });

  it('names the errno of a transport failure', () => {
    expect(classifyRestError(failed('ECONNREFUSED'), 'tax-service').details).toEqual({ errno: 'ECONNREFUSED' });
  });
});
