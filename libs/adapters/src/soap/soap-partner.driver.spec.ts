import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parsePartnerConfig, PartnerConfig } from '@korpu/contracts';
import { createEnvelope, Envelope } from '@korpu/envelope';
import { createSignatureServices, SignatureServices } from '@korpu/signature';
import { buildSoapFault, buildXRoadMessage, parseXRoadMessage, requestHash } from '@korpu/xroad';
import { DevPkiManifest, ensureDevPki } from '../../../../certs-dev/dev-pki';
import { PartnerErrorCode, ReplyRefusedException } from '../partner.exception';
import { PartnerHttpClients, PartnerHttpError } from '../partner-http-clients';
import { SoapPartnerDriver } from './soap-partner.driver';
import { WsdlContractsRepository } from './wsdl-contracts.repository';

const repoRoot = path.resolve(__dirname, '../../../..');
const folder = path.join(repoRoot, 'contracts/population-registry');

let pki: DevPkiManifest;
let ours: SignatureServices;
let registry: SignatureServices;
let taxService: SignatureServices;
let registryEc: SignatureServices;
let partner: PartnerConfig;

function services(key: string): SignatureServices {
  return createSignatureServices({
    trust: { caFiles: [pki.trustBundle], crlFiles: [pki.crls.root, pki.crls.intermediate], fetchCrls: false },
    keys: [{ certFile: pki.leaves[key].chain, keyFile: pki.leaves[key].key }],
  });
}

beforeAll(async () => {
  const pkiDir = path.join(os.tmpdir(), `korpu-adapters-test-pki-${process.env.JEST_WORKER_ID ?? '0'}`);
  pki = await ensureDevPki(pkiDir);
  ours = services('gateway-rsa');
  registry = services('population-registry-rsa');
  registryEc = services('population-registry-ec');
  taxService = services('tax-service-rsa');
  partner = parsePartnerConfig(JSON.parse(fs.readFileSync(path.join(folder, 'partner.json'), 'utf8')), folder, { pkiDir });
});

afterEach(() => jest.restoreAllMocks());

const request = (): Envelope =>
  createEnvelope({
    client: 'MLSP/pensions',
    service: { partner: 'population-registry', operation: 'GetPerson' },
    messageType: 'person-lookup-request',
    schemaVersion: '1',
    contentType: 'application/xml',
    payload: '<GetPersonRequest xmlns="urn:korpu:population:person"><Fin>5ABC123</Fin></GetPersonRequest>',
    userId: 'AZ1234567',
  });

const replyPayload = '<GetPersonResponse xmlns="urn:korpu:population:person"><Fin>5ABC123</Fin></GetPersonResponse>';

/** Stubs the partner: `answer` receives the request as sent and returns HTTP status + body (or throws). */
function partnerAnswers(answer: (sent: string, headers: Record<string, string>) => { status: number; data: string }) {
  const calls: Array<{ url: string; body: string; headers: Record<string, string> }> = [];
  jest.spyOn(PartnerHttpClients.prototype, 'send').mockImplementation(async (partner, config) => {
    calls.push({ url: partner.endpoint.url, body: config.body, headers: config.headers });
    const { status, data } = answer(config.body, config.headers);
    return { status, headers: {}, body: data };
  });
  return calls;
}

function signedReply(sent: string, tweak: (headers: Record<string, unknown>) => void = () => undefined, signer = registry): string {
  const incoming = parseXRoadMessage(sent).headers as Record<string, unknown>;
  const headers: Record<string, unknown> = { ...incoming, requestHash: requestHash(sent) };
  tweak(headers);
  for (const key of Object.keys(headers)) if (headers[key] === undefined) delete headers[key];
  return signer.soapSigner.sign(buildXRoadMessage(headers as never, replyPayload));
}

const driver = () => new SoapPartnerDriver(ours.soapSigner, ours.soapVerifier, new WsdlContractsRepository(), new PartnerHttpClients());

describe('SoapPartnerDriver', () => {
  it('sends a signed X-Road 4.0 request with the SOAPAction of the WSDL and returns the verified payload', async () => {
    const calls = partnerAnswers((sent) => ({ status: 200, data: signedReply(sent) }));
    const envelope = request();
    const reply = await driver().send(partner, partner.operations.GetPerson, envelope);
    expect(reply).toMatchObject({ contentType: 'application/xml', payload: replyPayload, signature: { format: 'xmldsig', verification: 'verified' } });
    expect(calls[0].url).toBe('http://127.0.0.1:7101/soap');
    expect(calls[0].headers.SOAPAction).toBe('"urn:korpu:population:person/GetPerson"');
    const verified = await registry.soapVerifier.verify(calls[0].body);
    expect(verified.signer.subject).toContain('gateway-rsa');
    const sent = parseXRoadMessage(calls[0].body).headers;
    expect(sent).toMatchObject({
      client: { xRoadInstance: 'AZ', memberClass: 'GOV', subsystemCode: 'pensions' },
      service: { memberCode: '1400000002', subsystemCode: 'population-registry', serviceCode: 'GetPerson' },
      id: envelope.messageId,
      userId: 'AZ1234567',
      issue: envelope.correlationId,
      protocolVersion: '4.0',
    });
  });

  it.each([
    ['a SOAP Fault', () => ({ status: 500, data: buildSoapFault({ faultcode: 'Server', faultstring: 'registry down', code: 'X' }) }), PartnerErrorCode.SOAP_FAULT],
    ['HTTP 503 without a Fault', () => ({ status: 503, data: '<html>busy</html>' }), PartnerErrorCode.SERVER_ERROR],
    ['HTTP 404 without a Fault', () => ({ status: 404, data: 'no' }), PartnerErrorCode.CLIENT_ERROR],
    ['malformed XML', () => ({ status: 200, data: '<soapenv:Envelope><oops' }), PartnerErrorCode.REPLY_MALFORMED],
    ['a DOCTYPE', () => ({ status: 200, data: '<!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>' }), PartnerErrorCode.REPLY_MALFORMED],
    ['an unsigned reply', (sent: string) => ({ status: 200, data: buildXRoadMessage(parseXRoadMessage(sent).headers as never, replyPayload) }), PartnerErrorCode.REPLY_SIGNATURE_INVALID],
    ['a tampered Body', (sent: string) => ({ status: 200, data: signedReply(sent).replace('5ABC123</Fin></GetPersonResponse>', '9ZZZ999</Fin></GetPersonResponse>') }), PartnerErrorCode.REPLY_SIGNATURE_INVALID],
    ['the hash of another request', (sent: string) => ({ status: 200, data: signedReply(sent, (h) => (h.requestHash = requestHash('other'))) }), PartnerErrorCode.REPLY_NOT_BOUND_TO_REQUEST],
    ['a reply without requestHash', (sent: string) => ({ status: 200, data: signedReply(sent, (h) => (h.requestHash = undefined)) }), PartnerErrorCode.REPLY_NOT_BOUND_TO_REQUEST],
    ['a reply to another message id', (sent: string) => ({ status: 200, data: signedReply(sent, (h) => (h.id = 'someone-else')) }), PartnerErrorCode.REPLY_NOT_BOUND_TO_REQUEST],
    ['a reply naming another client', (sent: string) => ({ status: 200, data: signedReply(sent, (h) => ((h.client as { subsystemCode: string }).subsystemCode = 'benefits')) }), PartnerErrorCode.REPLY_NOT_BOUND_TO_REQUEST],
    ['a reply naming another service', (sent: string) => ({ status: 200, data: signedReply(sent, (h) => ((h.service as { serviceCode: string }).serviceCode = 'DeletePerson')) }), PartnerErrorCode.REPLY_NOT_BOUND_TO_REQUEST],
    ['a reply signed by the (trusted) tax service', (sent: string) => ({ status: 200, data: signedReply(sent, undefined, taxService) }), PartnerErrorCode.REPLY_SIGNER_NOT_PARTNER],
    ['a reply signed with our own (trusted) key', (sent: string) => ({ status: 200, data: signedReply(sent, undefined, ours) }), PartnerErrorCode.REPLY_SIGNER_NOT_PARTNER],
  ])('classifies %s', async (_what, answer, code) => {
    partnerAnswers(answer);
    await expect(driver().send(partner, partner.operations.GetPerson, request())).rejects.toMatchObject({ code });
  });

  it('accepts the registry\'s other key and returns our request signature for the message log', async () => {
    const calls = partnerAnswers((sent) => ({ status: 200, data: signedReply(sent, undefined, registryEc) }));
    const reply = await driver().send(partner, partner.operations.GetPerson, request());
    expect(reply.signature?.certificate).toBe(new X509Certificate(fs.readFileSync(pki.leaves['population-registry-ec'].cert)).toString());
    expect(reply.requestSignature).toMatchObject({ format: 'xmldsig', verification: 'signed' });
    expect(reply.requestSignature?.value).toMatch(/^<ds:Signature[\s\S]*<\/ds:Signature>$/);
    expect(calls[0].body).toContain(reply.requestSignature!.value.slice(0, 200));
  });

  it('keeps who signed a refused reply and whom it expected, for the message log', async () => {
    partnerAnswers((sent) => ({ status: 200, data: signedReply(sent, undefined, taxService) }));
    const error = await driver().send(partner, partner.operations.GetPerson, request()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplyRefusedException);
    const refused = error as ReplyRefusedException;
    expect(refused.details).toMatchObject({ expectedPartner: 'population-registry', signer: expect.stringContaining('tax-service-rsa') });
    expect(refused.reply.signature?.certificate).toContain('BEGIN CERTIFICATE');
    expect(refused.reply.requestSignature?.format).toBe('xmldsig');
    expect(refused.reply.payload).toContain('GetPersonResponse');
  });

  it.each([
    ['PARTNER_DEADLINE', PartnerErrorCode.TIMEOUT],
    ['ECONNREFUSED', PartnerErrorCode.UNAVAILABLE],
    ['ECONNRESET', PartnerErrorCode.CONNECTION_FAILED],
    ['CERT_HAS_EXPIRED', PartnerErrorCode.TLS_FAILED],
  ])('classifies the transport failure %s', async (errno, code) => {
    partnerAnswers(() => {
      throw new PartnerHttpError(errno, errno);
    });
    await expect(driver().send(partner, partner.operations.GetPerson, request())).rejects.toMatchObject({ code });
  });

  it('refuses an operation the WSDL does not have', async () => {
    partnerAnswers((sent) => ({ status: 200, data: signedReply(sent) }));
    const missing = { ...partner.operations.GetPerson, name: 'DeletePerson', soapAction: '' };
    await expect(driver().send(partner, missing, request())).rejects.toMatchObject({ code: 'CONTRACT_INVALID' });
  });
});
