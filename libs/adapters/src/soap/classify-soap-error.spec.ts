import { SignatureErrorCode, SignatureException } from '@korpu/signature';
import { PartnerErrorCode } from '../partner.exception';
import { classifySoapError, classifySoapHttpFailure } from './classify-soap-error';

describe('classifySoapError', () => {
  it.each([
    [SignatureErrorCode.CRL_UNAVAILABLE, PartnerErrorCode.REVOCATION_UNAVAILABLE],
    [SignatureErrorCode.OCSP_UNAVAILABLE, PartnerErrorCode.REVOCATION_UNAVAILABLE],
    [SignatureErrorCode.OCSP_RESPONSE_STALE, PartnerErrorCode.REVOCATION_UNAVAILABLE],
    [SignatureErrorCode.CERT_REVOKED, PartnerErrorCode.REPLY_SIGNATURE_INVALID],
    [SignatureErrorCode.TAMPERED_BODY, PartnerErrorCode.REPLY_SIGNATURE_INVALID],
    [SignatureErrorCode.CERT_UNTRUSTED, PartnerErrorCode.REPLY_SIGNATURE_INVALID],
    [SignatureErrorCode.XML_MALFORMED, PartnerErrorCode.REPLY_MALFORMED],
  ])('classifies a reply refused with %s as %s', (signatureCode, code) => {
    const error = classifySoapError(new SignatureException(signatureCode, 'refused'), 'population-registry');
    expect(error.code).toBe(code);
    if (code !== PartnerErrorCode.REPLY_MALFORMED) expect(error.details).toMatchObject({ signatureCode });
  });
});

describe('classifySoapHttpFailure', () => {
  it('classifies a 3xx as PARTNER_REDIRECTED with where it pointed', () => {
    const error = classifySoapHttpFailure({ httpStatus: 307, body: '', location: 'http://elsewhere.example/soap' }, 'population-registry');
    expect(error.code).toBe(PartnerErrorCode.REDIRECTED);
    expect(error.details).toMatchObject({ httpStatus: 307, location: 'http://elsewhere.example/soap' });
  });
});
