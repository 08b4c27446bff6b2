import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SignedXml } from 'xml-crypto';
import { DevPkiManifest } from '../../../../certs-dev/dev-pki';
import { SignatureErrorCode as Code } from '../signature-error-code';
import { mutate, xroadEnvelope } from '../testing/soap-fixtures';
import { keyRingOf, MutableClock, testPki, trustStoreOf } from '../testing/test-pki';
import { EcdsaSha256XmlCryptoAlgorithm, XmlDsig } from '../xml/xml-dsig-algorithms';
import { SoapSigner } from './soap-signer';
import { SoapVerifier } from './soap-verifier';
import { Ns } from './ws-security.constants';

let pki: DevPkiManifest;
let signedRsa: string;
let signedEc: string;

beforeAll(async () => {
  pki = await testPki();
  signedRsa = new SoapSigner(keyRingOf(pki, 'gateway-rsa')).sign(xroadEnvelope());
  signedEc = new SoapSigner(keyRingOf(pki, 'gateway-ec')).sign(xroadEnvelope());
}, 60_000);

const verifier = (options: ConstructorParameters<typeof SoapVerifier>[1] = {}): SoapVerifier => new SoapVerifier(trustStoreOf(pki), options);

async function codeOf(xml: string, v: SoapVerifier = verifier()): Promise<string> {
  try {
    await v.verify(xml);
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'ACCEPTED';
}

const idOf = (xml: string, element: string): string => new RegExp(`<${element}[^>]*wsu:Id="([^"]+)"`).exec(xml)![1];

describe('SoapSigner + SoapVerifier', () => {
  it('signs with RSA-SHA256 and verifies, returning the very Body that was digested', async () => {
    const result = await verifier().verify(signedRsa);
    expect(result.signatureMethod).toBe(XmlDsig.RSA_SHA256);
    expect(result.signer.subject).toContain('gateway-rsa');
    expect(result.canonicalBody).toContain('<prr:pin>5ABC123</prr:pin>');
    expect(result.body.localName).toBe('Body');
    expect(Object.keys(result.xroadHeaders).sort()).toEqual(['client', 'id', 'issue', 'protocolVersion', 'service', 'userId']);
  });

  it('signs with ECDSA-SHA256 using a raw r||s signature value (64 bytes for P-256)', async () => {
    const value = /<ds:SignatureValue>([^<]+)</.exec(signedEc)![1];
    expect(Buffer.from(value, 'base64')).toHaveLength(64);
    expect((await verifier().verify(signedEc)).signatureMethod).toBe(XmlDsig.ECDSA_SHA256);
  });

  it('covers Body, Timestamp and every X-Road header with exclusive c14n and SHA-256', () => {
    expect(signedRsa.match(/<ds:Reference /g)).toHaveLength(8);
    expect(signedRsa).not.toMatch(/sha1/);
    for (const el of ['soapenv:Body', 'wsu:Timestamp', 'xrd:client', 'xrd:service', 'xrd:id', 'xrd:userId', 'xrd:issue', 'xrd:protocolVersion']) {
      expect(signedRsa).toContain(`URI="#${idOf(signedRsa, el)}"`);
    }
  });

  it('verifies a signature made by xml-crypto with the custom ECDSA algorithm (independent implementation)', async () => {
    // Körpü builds the WS-Security header, then xml-crypto recomputes the whole signature with ECDSA.
    const sig = new SignedXml({
      privateKey: readFileSync(pki.leaves['gateway-ec'].key),
      signatureAlgorithm: XmlDsig.ECDSA_SHA256,
      canonicalizationAlgorithm: XmlDsig.EXC_C14N,
    });
    sig.SignatureAlgorithms[XmlDsig.ECDSA_SHA256] = EcdsaSha256XmlCryptoAlgorithm;
    const ours = signedEc;
    const str = /<ds:KeyInfo>([\s\S]*?)<\/ds:KeyInfo>/.exec(ours)![1];
    const unsigned = ours.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
    for (const el of ['soapenv:Body', 'wsu:Timestamp', 'xrd:client', 'xrd:service', 'xrd:id', 'xrd:userId', 'xrd:issue', 'xrd:protocolVersion']) {
      sig.addReference({
        xpath: `//*[@*[local-name(.)='Id']='${idOf(ours, el)}']`,
        transforms: [XmlDsig.EXC_C14N],
        digestAlgorithm: XmlDsig.SHA256,
      });
    }
    sig.getKeyInfoContent = () => str;
    sig.computeSignature(unsigned, {
      prefix: 'ds',
      location: { reference: `//*[local-name(.)='Security']`, action: 'append' },
    });
    const result = await verifier().verify(sig.getSignedXml());
    expect(result.signatureMethod).toBe(XmlDsig.ECDSA_SHA256);
  });

  describe('refuses', () => {
    it('a DOCTYPE / entity expansion (billion laughs)', async () => {
      const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>` + signedRsa.replace(/^<\?xml[^>]*>/, '');
      expect(await codeOf(bomb)).toBe(Code.XML_DOCTYPE_FORBIDDEN);
    });

    it('XML that is not well-formed', async () => {
      expect(await codeOf(signedRsa.replace('</soapenv:Body>', '</soapenv:Bdy>'))).toBe(Code.XML_MALFORMED);
    });

    it('an unsigned message', async () => {
      expect(await codeOf(xroadEnvelope())).toBe(Code.MISSING);
    });

    it('a tampered Body', async () => {
      expect(await codeOf(mutate(signedRsa, '5ABC123', '9ZZZ999'))).toBe(Code.TAMPERED_BODY);
      expect(await codeOf(mutate(signedEc, '5ABC123', '9ZZZ999'))).toBe(Code.TAMPERED_BODY);
    });

    it('a tampered X-Road client header', async () => {
      expect(await codeOf(mutate(signedRsa, '<id:memberCode>1400000001', '<id:memberCode>1400000666'))).toBe(Code.DIGEST_MISMATCH);
    });

    it('a forged signature value', async () => {
      expect(await codeOf(mutate(signedRsa, /<ds:SignatureValue>(.)/, (_m, c) => `<ds:SignatureValue>${c === 'A' ? 'B' : 'A'}`))).toBe(Code.INVALID);
    });

    it('a SOAP message whose Body was moved under a wrapper and replaced (signature wrapping)', async () => {
      const bodyMatch = /<soapenv:Body [\s\S]*<\/soapenv:Body>/.exec(signedRsa)![0];
      const original = bodyMatch.replace('<soapenv:Body ', '<prr:Wrapper ').replace('</soapenv:Body>', '</prr:Wrapper>');
      const attack = signedRsa
        .replace(bodyMatch, '<soapenv:Body><prr:getPerson><prr:pin>EVIL001</prr:pin></prr:getPerson></soapenv:Body>')
        .replace('</soapenv:Header>', `${original}</soapenv:Header>`);
      expect(await codeOf(attack)).toBe(Code.WRAPPING);
    });

    it('a second Body next to the signed one', async () => {
      expect(await codeOf(mutate(signedRsa, '</soapenv:Envelope>', '<soapenv:Body><x/></soapenv:Body></soapenv:Envelope>'))).toBe(Code.WRAPPING);
    });

    it('a duplicate Id (a forged Body carrying the signed Body Id)', async () => {
      const bodyId = idOf(signedRsa, 'soapenv:Body');
      const attack = mutate(signedRsa, '</soapenv:Header>', `<prr:Fake wsu:Id="${bodyId}"/></soapenv:Header>`);
      expect(await codeOf(attack)).toBe(Code.DUPLICATE_ID);
    });

    it('a second Signature element', async () => {
      const signature = /<ds:Signature [\s\S]*<\/ds:Signature>/.exec(signedRsa)![0].replace('<ds:Signature ', `<ds:Signature xmlns:wsse="${Ns.WSSE}" `);
      expect(await codeOf(mutate(signedRsa, '</prr:getPerson>', `${signature}</prr:getPerson>`))).toBe(Code.DUPLICATE);
    });

    it('a second wsse:Security header', async () => {
      expect(await codeOf(mutate(signedRsa, '</soapenv:Header>', `<wsse:Security xmlns:wsse="${Ns.WSSE}"/></soapenv:Header>`))).toBe(Code.DUPLICATE);
    });

    it('a Signature moved out of the Security header', async () => {
      const signature = /<ds:Signature [\s\S]*<\/ds:Signature>/.exec(signedRsa)![0];
      const withNs = signature.replace('<ds:Signature ', `<ds:Signature xmlns:wsse="${Ns.WSSE}" `);
      const moved = signedRsa.replace(signature, '').replace('</soapenv:Header>', `${withNs}</soapenv:Header>`);
      expect(await codeOf(moved)).toBe(Code.WRAPPING);
    });

    it('a message where a required element is not referenced', async () => {
      const serviceId = idOf(signedRsa, 'xrd:service');
      const withoutRef = mutate(signedRsa, new RegExp(`<ds:Reference URI="#${serviceId}">[\\s\\S]*?</ds:Reference>`), '');
      expect(await codeOf(withoutRef)).toBe(Code.MISSING_REFERENCE);
      const bodyId = idOf(signedRsa, 'soapenv:Body');
      expect(await codeOf(mutate(signedRsa, new RegExp(`<ds:Reference URI="#${bodyId}">[\\s\\S]*?</ds:Reference>`), ''))).toBe(Code.MISSING_REFERENCE);
    });

    it('an X-Road header added after signing', async () => {
      const signed = new SoapSigner(keyRingOf(pki, 'gateway-rsa')).sign(xroadEnvelope({ omit: ['userId'] }));
      const added = mutate(signed, '</soapenv:Header>', '<xrd:userId>AZ0000000</xrd:userId></soapenv:Header>');
      expect(await codeOf(added)).toBe(Code.MISSING_REFERENCE);
    });

    it('a message lacking a required X-Road header, even when validly signed', async () => {
      const signed = new SoapSigner(keyRingOf(pki, 'gateway-rsa')).sign(xroadEnvelope({ omit: ['service'] }));
      expect(await codeOf(signed)).toBe(Code.MISSING_REFERENCE);
    });

    it('a message without wsu:Timestamp', async () => {
      expect(await codeOf(mutate(signedRsa, /<wsu:Timestamp[\s\S]*<\/wsu:Timestamp>/, ''))).toBe(Code.TIMESTAMP_MISSING);
    });

    it.each([
      ['SHA-1 digest', /xmlenc#sha256/, XmlDsig.SHA1],
      ['RSA-SHA1 signature', /xmldsig-more#rsa-sha256/, XmlDsig.RSA_SHA1],
      ['HMAC-SHA1 signature (key confusion, GHSA-c27r-x354-4m68)', /xmldsig-more#rsa-sha256/, XmlDsig.HMAC_SHA1],
      ['inclusive c14n', /(CanonicalizationMethod Algorithm=")[^"]+/, `$1${XmlDsig.C14N}`],
      ['exclusive c14n with comments', /(CanonicalizationMethod Algorithm=")[^"]+/, `$1${XmlDsig.EXC_C14N_WITH_COMMENTS}`],
      ['an XPath transform', /(Transform Algorithm=")[^"]+/, '$1http://www.w3.org/TR/1999/REC-xpath-19991116'],
      ['an XSLT transform', /(Transform Algorithm=")[^"]+/, '$1http://www.w3.org/TR/1999/REC-xslt-19991116'],
    ])('%s', async (_name, pattern, replacement) => {
      expect(await codeOf(mutate(signedRsa, pattern, replacement as string))).toBe(Code.ALGORITHM_NOT_ALLOWED);
    });

    it('an ECDSA signature method claimed over an RSA key', async () => {
      expect(await codeOf(mutate(signedRsa, /xmldsig-more#rsa-sha256/, 'xmldsig-more#ecdsa-sha256'))).toBe(Code.ALGORITHM_NOT_ALLOWED);
    });

    it('a comment inside DigestValue (CVE-2025-29775)', async () => {
      const attack = mutate(signedRsa, /<ds:DigestValue>([^<]{4})/, '<ds:DigestValue><!--x-->$1');
      expect(await codeOf(attack)).toBe(Code.MALFORMED);
    });

    it('a second SignedInfo inside the Signature (CVE-2025-29774)', async () => {
      const signedInfo = /<ds:SignedInfo>[\s\S]*<\/ds:SignedInfo>/.exec(signedRsa)![0];
      expect(await codeOf(mutate(signedRsa, '<ds:SignatureValue>', `${signedInfo}<ds:SignatureValue>`))).toBe(Code.DUPLICATE);
    });

    it('a comment injected into the signed Body (c14n-invisible text truncation)', async () => {
      expect(await codeOf(mutate(signedRsa, '5ABC123', '5ABC<!---->123'))).toBe(Code.MALFORMED);
    });

    it('a processing instruction injected into a signed X-Road header, and a comment in the Body with another before the Envelope', async () => {
      expect(await codeOf(mutate(signedRsa, '<id:memberCode>', '<?x y?><id:memberCode>'))).toBe(Code.MALFORMED);
      expect(await codeOf(mutate(mutate(signedRsa, '<soapenv:Envelope', '<!-- a --><soapenv:Envelope'), '5ABC123', '5ABC<!---->123'))).toBe(Code.MALFORMED);
      expect(await codeOf(mutate(signedRsa, '<soapenv:Envelope', '<!-- outside the signed elements --><soapenv:Envelope'))).toBe('ACCEPTED');
    });

    it('a key embedded in KeyInfo instead of a trusted token reference (CVE-2024-32962)', async () => {
      // The attacker re-signs a tampered Body with their own key and puts their certificate in ds:X509Data.
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const sig = new SignedXml({
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }),
        publicCert: readFileSync(pki.leaves['untrusted-rsa'].cert),
        signatureAlgorithm: XmlDsig.RSA_SHA256,
        canonicalizationAlgorithm: XmlDsig.EXC_C14N,
      });
      const unsigned = signedRsa.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '').replace('5ABC123', 'EVIL001');
      for (const el of ['soapenv:Body', 'wsu:Timestamp', 'xrd:client', 'xrd:service', 'xrd:id', 'xrd:userId', 'xrd:issue', 'xrd:protocolVersion']) {
        sig.addReference({ xpath: `//*[@*[local-name(.)='Id']='${idOf(signedRsa, el)}']`, transforms: [XmlDsig.EXC_C14N], digestAlgorithm: XmlDsig.SHA256 });
      }
      sig.computeSignature(unsigned, { prefix: 'ds', location: { reference: `//*[local-name(.)='Security']`, action: 'append' } });
      expect(sig.getSignedXml()).toContain('X509Certificate');
      expect(await codeOf(sig.getSignedXml())).toBe(Code.KEY_INFO_INVALID);
    });

    it('a BinarySecurityToken certificate that does not chain to the trust store', async () => {
      const signed = new SoapSigner(keyRingOf(pki, 'untrusted-rsa')).sign(xroadEnvelope());
      expect(await codeOf(signed)).toBe(Code.CERT_UNTRUSTED);
    });

    it('a token swapped for another trusted certificate (key mismatch)', async () => {
      const other = new X509Certificate(readFileSync(pki.leaves['egov-portal-rsa'].cert)).raw.toString('base64');
      expect(await codeOf(mutate(signedRsa, /(<wsse:BinarySecurityToken[^>]*>)[^<]+/, `$1${other}`))).toBe(Code.INVALID);
    });

    it.each([
      ['revoked-rsa', Code.CERT_REVOKED],
      ['expired-rsa', Code.CERT_EXPIRED],
      ['not-yet-valid-rsa', Code.CERT_NOT_YET_VALID],
      ['no-digital-signature-rsa', Code.CERT_KEY_USAGE],
    ])('a message signed with %s', async (name, code) => {
      expect(await codeOf(new SoapSigner(keyRingOf(pki, name)).sign(xroadEnvelope()))).toBe(code);
    });

    it('a stale timestamp, and a timestamp from the future (configurable skew)', async () => {
      const clock = new MutableClock();
      clock.advance(6 * 60);
      expect(await codeOf(signedRsa, verifier({ clock }))).toBe(Code.TIMESTAMP_STALE);
      expect(await codeOf(signedRsa, verifier({ clock, clockSkewSeconds: 120 }))).toBe('ACCEPTED');
      clock.advance(-12 * 60);
      expect(await codeOf(signedRsa, verifier({ clock }))).toBe(Code.TIMESTAMP_FUTURE);
    });

    it('a reference that is not a same-document #id', async () => {
      const bodyId = idOf(signedRsa, 'soapenv:Body');
      expect(await codeOf(mutate(signedRsa, `URI="#${bodyId}"`, 'URI=""'))).toBe(Code.MALFORMED);
    });
  });

  it('signs with a chosen kid from a ring of several keys', async () => {
    const ring = keyRingOf(pki, 'gateway-rsa', 'gateway-ec');
    const ecKid = ring.list().find((k) => k.type === 'ec')!.kid;
    const signed = new SoapSigner(ring).sign(xroadEnvelope(), { kid: ecKid });
    expect((await verifier().verify(signed)).signatureMethod).toBe(XmlDsig.ECDSA_SHA256);
  });

  it('refuses to sign something that is not a SOAP 1.1 envelope', () => {
    expect(() => new SoapSigner(keyRingOf(pki, 'gateway-rsa')).sign('<a/>')).toThrow(expect.objectContaining({ code: Code.XML_MALFORMED }));
  });
});
