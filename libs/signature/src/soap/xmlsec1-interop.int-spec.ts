/**
 * Interoperability with xmlsec1 (libxmlsec1 + OpenSSL), run as a subprocess:
 *  - a message signed by Körpü verifies with `xmlsec1 --verify`;
 *  - a WS-Security template signed by `xmlsec1 --sign` with our dev keys verifies in Körpü.
 * scripts/ensure-xmlsec1.sh installs xmlsec1 when missing; if it cannot, the suite fails (it does not skip).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DevPkiManifest } from '../../../../certs-dev/dev-pki';
import { SignatureErrorCode } from '../signature-error-code';
import { xroadEnvelope } from '../testing/soap-fixtures';
import { keyRingOf, testPki, trustStoreOf } from '../testing/test-pki';
import { SoapSigner } from './soap-signer';
import { SoapVerifier } from './soap-verifier';
import { Ns, WsseToken } from './ws-security.constants';

const ENSURE_SCRIPT = resolve(__dirname, '../../../../scripts/ensure-xmlsec1.sh');

const ID_ATTRS = [
  `${Ns.SOAP11}:Body`,
  `${Ns.WSU}:Timestamp`,
  `${Ns.WSSE}:BinarySecurityToken`,
  ...['client', 'service', 'id', 'userId', 'issue', 'protocolVersion'].map((h) => `${Ns.XROAD}:${h}`),
].flatMap((node) => ['--id-attr:Id', node]);

let pki: DevPkiManifest;
let work: string;

beforeAll(async () => {
  execFileSync('bash', [ENSURE_SCRIPT], { stdio: 'inherit' });
  pki = await testPki();
  work = mkdtempSync(join(tmpdir(), 'korpu-xmlsec1-'));
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function xmlsec1(args: string[]): { ok: boolean; output: string } {
  const run = spawnSync('xmlsec1', args, { encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout ?? ''}${run.stderr ?? ''}` };
}

describe('xmlsec1 interoperability', () => {
  it.each(['gateway-rsa', 'gateway-ec', 'population-registry-ec'])('xmlsec1 verifies a message Körpü signed with %s', (name) => {
    const file = join(work, `korpu-signed-${name}.xml`);
    writeFileSync(file, new SoapSigner(keyRingOf(pki, name)).sign(xroadEnvelope()));
    const result = xmlsec1(['--verify', '--pubkey-cert-pem', pki.leaves[name].cert, ...ID_ATTRS, file]);
    expect(result.output).toContain('SignedInfo References (ok/all): 8/8');
    expect(result.ok).toBe(true);
  });

  // The signer writes the Security header into the text it was given; these envelopes exercise where it goes and the c14n order.
  const SOAP = `xmlns:soapenv="${Ns.SOAP11}"`;
  it.each([
    ['no soap:Header', `<soapenv:Envelope ${SOAP}><soapenv:Body><m:ping xmlns:m="urn:m">1</m:ping></soapenv:Body></soapenv:Envelope>`, 2],
    ['an empty <soapenv:Header/>', `<soapenv:Envelope ${SOAP}><soapenv:Header/><soapenv:Body><a>1</a></soapenv:Body></soapenv:Envelope>`, 2],
    ['the default namespace', `<Envelope xmlns="${Ns.SOAP11}"><Body><a xmlns="urn:a">x</a></Body></Envelope>`, 2],
    ['the prefix X (before wsu by code point, after it alphabetically)', `<X:Envelope xmlns:X="${Ns.SOAP11}"><X:Body><a/></X:Body></X:Envelope>`, 2],
    ['attribute values with tabs, line ends and character references', `<soapenv:Envelope ${SOAP}><soapenv:Body><a b="1\t2\r\n3" c="&#9;&#10;&#13;&quot;&lt;&amp;>"/></soapenv:Body></soapenv:Envelope>`, 2],
    ['CDATA, comments, CRLF line ends and U+2028', xroadEnvelope().replace(/\n/g, '\r\n').replace('<prr:pin>', '<!-- c --><prr:x><![CDATA[<a> & b]]>\u2028</prr:x><prr:pin>'), 8],
  ])('xmlsec1 verifies a message Körpü signed with %s', (_name, envelope, references) => {
    const file = join(work, `korpu-signed-variant-${randomBytes(4).toString('hex')}.xml`);
    writeFileSync(file, new SoapSigner(keyRingOf(pki, 'gateway-rsa')).sign(envelope));
    const result = xmlsec1(['--verify', '--pubkey-cert-pem', pki.leaves['gateway-rsa'].cert, ...ID_ATTRS, file]);
    expect(result.output).toContain(`SignedInfo References (ok/all): ${references}/${references}`);
    expect(result.ok).toBe(true);
  });

  it('xmlsec1 rejects a Körpü-signed message whose Body was altered afterwards', () => {
    const file = join(work, 'korpu-signed-tampered.xml');
    const signed = new SoapSigner(keyRingOf(pki, 'gateway-rsa')).sign(xroadEnvelope());
    writeFileSync(file, signed.replace('5ABC123', '9ZZZ999'));
    expect(xmlsec1(['--verify', '--pubkey-cert-pem', pki.leaves['gateway-rsa'].cert, ...ID_ATTRS, file]).ok).toBe(false);
  });

  it.each([
    ['gateway-rsa', 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'],
    ['egov-portal-ec', 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256'],
  ])('Körpü verifies a template xmlsec1 signed with %s', async (name, signatureMethod) => {
    const template = join(work, `template-${name}.xml`);
    const output = join(work, `xmlsec1-signed-${name}.xml`);
    writeFileSync(template, wsSecurityTemplate(readFileSync(pki.leaves[name].cert, 'utf8'), signatureMethod));
    const result = xmlsec1(['--sign', '--privkey-pem', pki.leaves[name].key, ...ID_ATTRS, '--output', output, template]);
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);

    const verified = await new SoapVerifier(trustStoreOf(pki)).verify(readFileSync(output, 'utf8'));
    expect(verified.signer.subject).toContain(name);
    expect(verified.signatureMethod).toBe(signatureMethod);
    expect(verified.canonicalBody).toContain('5ABC123');

    // ...and the same message with a changed Body is refused
    await expect(
      new SoapVerifier(trustStoreOf(pki)).verify(readFileSync(output, 'utf8').replace('5ABC123', '9ZZZ999')),
    ).rejects.toMatchObject({ code: SignatureErrorCode.TAMPERED_BODY });
  });

  it('Körpü verifies references xmlsec1 canonicalized with an InclusiveNamespaces PrefixList (namespaces declared above, unused)', async () => {
    const template = join(work, 'template-inclusive.xml');
    const output = join(work, 'xmlsec1-signed-inclusive.xml');
    writeFileSync(template, wsSecurityTemplate(readFileSync(pki.leaves['gateway-rsa'].cert, 'utf8'), 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'prr xrd'));
    const result = xmlsec1(['--sign', '--privkey-pem', pki.leaves['gateway-rsa'].key, ...ID_ATTRS, '--output', output, template]);
    expect(result.ok).toBe(true);
    const signed = readFileSync(output, 'utf8');
    expect(signed).toContain('PrefixList="prr xrd"');
    const verified = await new SoapVerifier(trustStoreOf(pki)).verify(signed);
    expect(verified.canonicalBody).toMatch(/^<soapenv:Body [^>]*xmlns:prr="[^"]+"[^>]*xmlns:xrd="[^"]+"/);
  });
});

/** An X-Road envelope with a WS-Security header whose ds:Signature is an xmlsec1 template (empty values). */
function wsSecurityTemplate(certPem: string, signatureMethod: string, inclusivePrefixes?: string): string {
  const certB64 = certPem.replace(/-----[A-Z ]+-----|\s+/g, '');
  const id = (p: string): string => `${p}-${randomBytes(6).toString('hex')}`;
  const ids = { body: id('Body'), ts: id('TS'), bst: id('X509'), client: id('client'), service: id('service'), mid: id('id'), pv: id('pv') };
  const now = Date.now();
  const ref = (target: string): string =>
    `<ds:Reference URI="#${target}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#">` +
    (inclusivePrefixes ? `<ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="${inclusivePrefixes}"/>` : '') +
    `</ds:Transform></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference>`;
  const base = xroadEnvelope({ omit: ['userId', 'issue'] })
    .replace('<xrd:client ', `<xrd:client wsu:Id="${ids.client}" `)
    .replace('<xrd:service ', `<xrd:service wsu:Id="${ids.service}" `)
    .replace('<xrd:id>', `<xrd:id wsu:Id="${ids.mid}">`)
    .replace('<xrd:protocolVersion>', `<xrd:protocolVersion wsu:Id="${ids.pv}">`)
    .replace('<soapenv:Body>', `<soapenv:Body wsu:Id="${ids.body}">`)
    .replace('xmlns:soapenv=', `xmlns:wsu="${Ns.WSU}" xmlns:soapenv=`);
  const security =
    `<wsse:Security xmlns:wsse="${Ns.WSSE}" soapenv:mustUnderstand="1">` +
    `<wsu:Timestamp wsu:Id="${ids.ts}"><wsu:Created>${new Date(now).toISOString()}</wsu:Created><wsu:Expires>${new Date(now + 300_000).toISOString()}</wsu:Expires></wsu:Timestamp>` +
    `<wsse:BinarySecurityToken wsu:Id="${ids.bst}" EncodingType="${WsseToken.BASE64_BINARY}" ValueType="${WsseToken.X509V3}">${certB64}</wsse:BinarySecurityToken>` +
    `<ds:Signature xmlns:ds="${Ns.DS}"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>` +
    `<ds:SignatureMethod Algorithm="${signatureMethod}"/>` +
    [ids.body, ids.ts, ids.client, ids.service, ids.mid, ids.pv].map(ref).join('') +
    `</ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><wsse:SecurityTokenReference><wsse:Reference URI="#${ids.bst}" ValueType="${WsseToken.X509V3}"/></wsse:SecurityTokenReference></ds:KeyInfo></ds:Signature>` +
    `</wsse:Security>`;
  return base.replace('<soapenv:Header>', `<soapenv:Header>${security}`);
}
