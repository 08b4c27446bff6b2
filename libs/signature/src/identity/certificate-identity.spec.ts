import { DevPkiManifest } from '../../../../certs-dev/dev-pki';
import { leafCert, testPki } from '../testing/test-pki';
import { canonicalName, parseCertificateRegistrations, spkiSha256 } from './certificate-identity';

describe('certificate identity', () => {
  let pki: DevPkiManifest;
  beforeAll(async () => {
    pki = await testPki();
  });

  const parse = (value: unknown) => parseCertificateRegistrations(value, 'clients[0].certificates.tls', { pkiDir: pki.rootCa.cert.replace(/\/ca\/root-ca\.crt$/, '') });

  it('compares distinguished names whatever the order of their parts', () => {
    expect(canonicalName('CN=a,OU=b,O=Ministry (development),C=AZ')).toBe(canonicalName('C=AZ\nO=Ministry (development)\nOU=b\nCN=a'));
    expect(canonicalName('CN=a,O=b')).not.toBe(canonicalName('CN=a,O=c'));
  });

  it('matches a certificate by issuer and subject, and not one with the same subject from another CA', () => {
    const portal = leafCert(pki, 'egov-portal-rsa');
    const { identities, problems } = parse([{ issuer: 'CN=Korpu Dev Intermediate CA,O=Ministry (development),C=AZ', subject: portal.subject.split('\n').reverse().join(',') }]);
    expect(problems).toEqual([]);
    expect(identities[0].matches(portal)).toBe(true);
    expect(identities[0].matches(leafCert(pki, 'egov-portal-ec'))).toBe(false);
    const sameCnOtherCa = parse([{ issuer: 'CN=Untrusted Dev CA,O=Somebody Else,C=ZZ', subject: portal.subject.split('\n').reverse().join(',') }]);
    expect(sameCnOtherCa.identities[0].matches(portal)).toBe(false);
  });

  it('matches by issuer and serial in any hex spelling', () => {
    const cert = leafCert(pki, 'tax-service-rsa');
    const serial = cert.serialNumber.toLowerCase().match(/.{2}/g)!.join(':');
    const { identities } = parse([{ issuer: cert.issuer, serial }]);
    expect(identities[0].matches(cert)).toBe(true);
    expect(identities[0].matches(leafCert(pki, 'tax-service-ec'))).toBe(false);
  });

  it('matches a key pin in base64 or hex', () => {
    const cert = leafCert(pki, 'gateway-ec');
    const pin = spkiSha256(cert);
    const hex = Buffer.from(pin, 'base64').toString('hex');
    const { identities, problems } = parse([{ spkiSha256: pin }, { spkiSha256: hex }]);
    expect(problems).toEqual([]);
    expect(identities.every((i) => i.matches(cert))).toBe(true);
    expect(identities[0].matches(leafCert(pki, 'gateway-rsa'))).toBe(false);
  });

  it('loads a pki: file reference as exactly that certificate', () => {
    const { identities, problems } = parse([{ file: 'pki:leaf/population-registry-rsa.crt' }]);
    expect(problems).toEqual([]);
    expect(identities[0].matches(leafCert(pki, 'population-registry-rsa'))).toBe(true);
    expect(identities[0].matches(leafCert(pki, 'population-registry-ec'))).toBe(false);
  });

  it('names every bad entry with its position and never throws', () => {
    const { identities, problems } = parse([
      { file: 'pki:leaf/nope.crt' },
      { spkiSha256: 'short' },
      { issuer: 'CN=x' },
      { issuer: 'CN=x', serial: 'zz' },
      'CN=egov-portal-rsa',
      { issuer: 'CN=x', subject: 'CN=y', serial: '01' },
    ]);
    expect(identities).toHaveLength(0);
    expect(problems).toEqual([
      'clients[0].certificates.tls[0].file: file not found (pki:leaf/nope.crt)',
      'clients[0].certificates.tls[1].spkiSha256: must be a SHA-256 digest (32 bytes, base64 or hex)',
      expect.stringContaining('clients[0].certificates.tls[2]: must have exactly one of'),
      'clients[0].certificates.tls[3].serial: must be hexadecimal',
      expect.stringContaining('clients[0].certificates.tls[4]: must be an object'),
      expect.stringContaining('clients[0].certificates.tls[5]: must have exactly one of'),
    ]);
    expect(parse('x').problems).toEqual(['clients[0].certificates.tls: must be an array of certificate registrations']);
  });
});
