import { DevPkiManifest } from '../../../../certs-dev/dev-pki';
import { SignatureErrorCode as Code } from '../signature-error-code';
import { mutate, xroadEnvelope } from '../testing/soap-fixtures';
import { keyRingOf, testPki, trustStoreOf } from '../testing/test-pki';
import { SoapSigner } from './soap-signer';
import { SoapVerifier } from './soap-verifier';
import { Ns } from './ws-security.constants';

let pki: DevPkiManifest;
let signer: SoapSigner;

beforeAll(async () => {
  pki = await testPki();
  signer = new SoapSigner(keyRingOf(pki, 'gateway-rsa'));
}, 60_000);

const SOAP_NS = `xmlns:soapenv="${Ns.SOAP11}"`;
/** X-Road headers are not required here: these envelopes are about where the signature goes. */
const verify = (xml: string) => new SoapVerifier(trustStoreOf(pki), { requiredXroadHeaders: [] }).verify(xml);

async function codeOf(xml: string): Promise<string> {
  try {
    await verify(xml);
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'ACCEPTED';
}

/** The signed text without what signing inserts: the Security header, the new wsu:Id attributes and the wsu declaration. */
function withoutInsertions(signed: string): string {
  return signed
    .replace(/<wsse:Security [\s\S]*<\/wsse:Security>/, '')
    .replace(/ wsu:Id="(Body|client|service|id|userId|issue|protocolVersion|requestHash)-[0-9a-f]{24}"/g, '')
    .replace(` xmlns:wsu="${Ns.WSU}"`, '');
}

describe('SoapSigner', () => {
  it('leaves the rest of the message byte for byte as it was and puts the Security header first in soap:Header', async () => {
    const input = xroadEnvelope();
    const signed = signer.sign(input);
    expect(withoutInsertions(signed)).toBe(input);
    expect(signed).toMatch(/<soapenv:Header>\s*<wsse:Security [^>]*soapenv:mustUnderstand="1">/);
    expect(signed).toMatch(/<soapenv:Envelope xmlns:wsu="[^"]+" xmlns:soapenv=/);
    expect(signed).toMatch(/<soapenv:Body wsu:Id="Body-[0-9a-f]{24}">/);
    expect(signed).toMatch(/<xrd:client wsu:Id="client-[0-9a-f]{24}" id:objectType="SUBSYSTEM">/);
    await expect(verify(signed)).resolves.toBeDefined();
  });

  it('refuses the signed message once its Body is changed', async () => {
    const signed = signer.sign(xroadEnvelope());
    expect(await codeOf(mutate(signed, 'Benefit &amp; pension', 'Benefit &amp; tax'))).toBe(Code.TAMPERED_BODY);
  });

  it('creates soap:Header right before soap:Body when the envelope has none', async () => {
    const input = `<soapenv:Envelope ${SOAP_NS}>\n  <soapenv:Body><m:ping xmlns:m="urn:m">1</m:ping></soapenv:Body>\n</soapenv:Envelope>`;
    const signed = signer.sign(input);
    expect(signed).toMatch(/^<soapenv:Envelope xmlns:wsu="[^"]+" xmlns:soapenv="[^"]+">\n {2}<soapenv:Header><wsse:Security [\s\S]*<\/wsse:Security><\/soapenv:Header><soapenv:Body wsu:Id=/);
    expect(withoutInsertions(signed).replace('<soapenv:Header></soapenv:Header>', '')).toBe(input);
    expect((await verify(signed)).canonicalBody).toContain('<m:ping xmlns:m="urn:m">1</m:ping>');
  });

  it('opens an empty self-closing soap:Header', async () => {
    const signed = signer.sign(`<soapenv:Envelope ${SOAP_NS}><soapenv:Header /><soapenv:Body><a/></soapenv:Body></soapenv:Envelope>`);
    expect(signed).toMatch(/<soapenv:Header ><wsse:Security [\s\S]*<\/wsse:Security><\/soapenv:Header><soapenv:Body/);
    await expect(verify(signed)).resolves.toBeDefined();
  });

  it('signs an envelope in the default namespace, declaring a prefix for soap:mustUnderstand', async () => {
    const signed = signer.sign(`<Envelope xmlns="${Ns.SOAP11}"><Body><a xmlns="urn:a">x</a></Body></Envelope>`);
    expect(signed).toMatch(/<Header><wsse:Security [^>]*xmlns:soapenv="http:\/\/schemas.xmlsoap.org\/soap\/envelope\/" soapenv:mustUnderstand="1">/);
    expect((await verify(signed)).canonicalBody).toMatch(/^<Body xmlns="http:\/\/schemas.xmlsoap.org\/soap\/envelope\/" xmlns:wsu="[^"]+" wsu:Id="Body-[0-9a-f]+"><a xmlns="urn:a">x<\/a><\/Body>$/);
  });

  it('signs an envelope whose prefix sorts before wsu by code point only (X), and one with the prefix ds', async () => {
    for (const prefix of ['X', 'ds']) {
      const signed = signer.sign(`<${prefix}:Envelope xmlns:${prefix}="${Ns.SOAP11}"><${prefix}:Body><a/></${prefix}:Body></${prefix}:Envelope>`);
      expect(signed).toContain(`<${prefix}:Header><wsse:Security`);
      await expect(verify(signed)).resolves.toBeDefined();
    }
  });

  it('keeps an existing wsu:Id and wsu declaration, and references them', async () => {
    const input = xroadEnvelope()
      .replace('xmlns:soapenv=', `xmlns:wsu="${Ns.WSU}" xmlns:soapenv=`)
      .replace('<soapenv:Body>', '<soapenv:Body wsu:Id="the-body">');
    const signed = signer.sign(input);
    expect(signed).toContain('<ds:Reference URI="#the-body">');
    expect(signed.match(/xmlns:wsu=/g)).toHaveLength(2); // the envelope's and the Security header's
    expect(withoutInsertions(signed)).toBe(input.replace(` xmlns:wsu="${Ns.WSU}"`, ''));
    await expect(verify(signed)).resolves.toBeDefined();
  });

  it('is not misled by comments, CDATA and processing instructions that look like tags, nor by ">" in attribute values', async () => {
    const input = xroadEnvelope()
      .replace('<soapenv:Envelope ', '<!-- <soapenv:Envelope> --><?note <soapenv:Body>?><soapenv:Envelope note="a > b" ')
      .replace('<soapenv:Header>', '<soapenv:Header><!-- <soapenv:Body> -->')
      .replace('<prr:pin>', '<prr:text><![CDATA[<soapenv:Body> & </soapenv:Header>]]></prr:text><prr:pin>');
    const signed = signer.sign(input);
    expect(withoutInsertions(signed)).toBe(input);
    const verified = await verify(signed);
    expect(verified.canonicalBody).toContain('<prr:text>&lt;soapenv:Body&gt; &amp; &lt;/soapenv:Header&gt;</prr:text>');
  });

  it('normalizes line ends as the parser does, so that what is sent is what was digested', async () => {
    const signed = signer.sign(xroadEnvelope().replace(/\n/g, '\r\n').replace('5ABC123', '5ABC\u2028123'));
    expect(signed).not.toMatch(/[\r\u2028]/);
    expect((await verify(signed)).canonicalBody).toContain('<prr:pin>5ABC\n123</prr:pin>');
  });

  it('refuses an envelope that binds wsu to another namespace, and one that is already signed', () => {
    expect(() => signer.sign(`<soapenv:Envelope ${SOAP_NS} xmlns:wsu="urn:other"><soapenv:Body/></soapenv:Envelope>`)).toThrow(
      expect.objectContaining({ code: Code.XML_MALFORMED }),
    );
    expect(() => signer.sign(signer.sign(xroadEnvelope()))).toThrow(expect.objectContaining({ code: Code.DUPLICATE }));
    const nested = `<soapenv:Envelope ${SOAP_NS}><soapenv:Body><a><b><Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/></b></a></soapenv:Body></soapenv:Envelope>`;
    expect(() => signer.sign(nested)).toThrow(expect.objectContaining({ code: Code.DUPLICATE }));
  });

  it('signs a message that mentions a Signature without holding a ds:Signature', async () => {
    const signed = signer.sign(xroadEnvelope().replace('<prr:pin>', '<prr:Signature>on file</prr:Signature><prr:pin>'));
    expect((await verify(signed)).canonicalBody).toContain('<prr:Signature>on file</prr:Signature>');
  });

  it('keeps the parser hardening: no DOCTYPE, size limit', () => {
    expect(() => signer.sign(`<!DOCTYPE x [<!ENTITY a "b">]>${xroadEnvelope().replace(/^<\?xml[^>]*>/, '')}`)).toThrow(
      expect.objectContaining({ code: Code.XML_DOCTYPE_FORBIDDEN }),
    );
    expect(() => new SoapSigner(keyRingOf(pki, 'gateway-rsa'), { maxXmlBytes: 100 }).sign(xroadEnvelope())).toThrow(
      expect.objectContaining({ code: Code.XML_MALFORMED }),
    );
  });
});
