import { schemaSamples } from '@korpu/schemas';
import { XROAD_PROTOCOL_VERSION, buildXRoadMessage, readXRoadMessage, requestHash, xroadClientFor } from '@korpu/xroad';
import { DevPkiManifest } from '../../../../certs-dev/dev-pki';
import type { TlsPeer } from '../admission/tls-peer';
import { POPULATION_REGISTRY, PORTAL, admissionParts, admissionPki, catalogue, certificateOf, signatureOf } from '../testing/admission-fixtures';
import { AdmitSoapRequestCommand } from './admit-soap-request.command';
import { AdmitSoapRequestUseCase } from './admit-soap-request.usecase';

let pki: DevPkiManifest;
let pkiDir: string;
beforeAll(async () => {
  ({ pki, pkiDir } = await admissionPki());
}, 60_000);

function setUp(tlsClientCertificate: 'optional' | 'required' = 'optional') {
  const parts = admissionParts(pki, pkiDir, { tlsClientCertificate });
  const useCase = new AdmitSoapRequestUseCase(
    parts.ministry.soapVerifier,
    parts.ministry.soapSigner,
    parts.ministry.keyRing,
    parts.identity,
    parts.inbound.asUseCase(),
    parts.rejections,
    parts.catalogue,
    parts.options,
  );
  return { ...parts, useCase };
}

/** A GetPensionEntitlement envelope declaring `client`, signed with `signer`'s key. */
function envelope(options: { client?: string; signer?: string; id?: string } = {}): string {
  const ministry = catalogue();
  const unsigned = buildXRoadMessage(
    {
      client: xroadClientFor(options.client ?? PORTAL),
      service: { ...ministry.xroadMember, subsystemCode: 'pensions', serviceCode: 'GetPensionEntitlement' },
      id: options.id ?? 'portal-soap-1',
      userId: 'AZ0000001',
      protocolVersion: XROAD_PROTOCOL_VERSION,
    },
    schemaSamples.pensionEntitlementRequestXml({ fin: '5ZJBKQ2' }),
  );
  return signatureOf(pki, options.signer ?? 'egov-portal-rsa').soapSigner.sign(unsigned);
}

const tls = (name: string): TlsPeer => ({ certificate: certificateOf(pki.tlsClients[name].cert) });
const command = (body: string, peer?: TlsPeer) => AdmitSoapRequestCommand.create({ body, headers: { 'x-korpu-schema-version': '1' }, tls: peer });
const codeOf = (promise: Promise<unknown>) => promise.then(() => 'ADMITTED', (error: { code: string }) => error.code);

describe('AdmitSoapRequestUseCase', () => {
  it('hands the portal\'s signed call to the inbound request and answers it signed, bound to the request', async () => {
    const { useCase, inbound, ministry } = setUp('required');
    const body = envelope();
    const answer = await useCase.execute(command(body, tls('egov-portal')));
    expect(answer.service).toBe('ministry/GetPensionEntitlement');
    expect(inbound.requests).toEqual([
      expect.objectContaining({ clientId: PORTAL, operation: 'GetPensionEntitlement', userId: 'AZ0000001', callerMessageId: 'portal-soap-1', schemaVersion: '1' }),
    ]);
    expect(inbound.requests[0].signature).toMatchObject({ format: 'xmldsig', verification: 'verified' });
    const reply = readXRoadMessage((await ministry.soapVerifier.verify(answer.body)).document);
    expect(reply.headers.requestHash).toBe(requestHash(body));
    expect(inbound.repliesSent).toHaveLength(1);
  });

  it.each([
    ['its TLS certificate belongs to another client than its signature', () => command(envelope(), tls('population-registry')), 'INBOUND_CLIENT_MISMATCH'],
    ['it declares another client than its signer', () => command(envelope({ client: POPULATION_REGISTRY })), 'INBOUND_CLIENT_MISMATCH'],
    ['its signer is not registered for any client', () => command(envelope({ signer: 'tax-service-rsa' })), 'INBOUND_CLIENT_UNAUTHENTICATED'],
    ['its signer is from a CA outside the signature trust store', () => command(envelope({ signer: 'untrusted-rsa' })), 'SIGNATURE_CERT_UNTRUSTED'],
    ['its Body was changed after signing', () => command(envelope().replace('>5ZJBKQ2<', '>5ZZZZZ9<')), 'SIGNATURE_TAMPERED_BODY'],
    ['its signed xrd:id is 3,000 characters long', () => command(envelope({ id: `A${'x'.repeat(3000)}` })), 'MESSAGE_ID_INVALID'],
    ['its signed xrd:id has a character outside the id rule', () => command(envelope({ id: 'portal soap/1' })), 'MESSAGE_ID_INVALID'],
  ])('refuses a call when %s, records who was refused and why, and queues nothing', async (_what, make, code) => {
    const { useCase, inbound, rejected } = setUp();
    expect(await codeOf(useCase.execute(make()))).toBe(code);
    expect(inbound.requests).toEqual([]);
    expect(rejected()).toEqual([expect.objectContaining({ code, message: expect.any(String) })]);
  });

  it('records both certificates of a caller refused for a TLS and signing identity that disagree', async () => {
    const { useCase, rejected } = setUp();
    await codeOf(useCase.execute(command(envelope(), tls('population-registry'))));
    expect(rejected()[0]).toMatchObject({
      client: PORTAL,
      verification: 'verified',
      certificates: { tls: expect.stringContaining('CN=population-registry-tls'), signer: expect.stringContaining('CN=egov-portal-rsa') },
    });
  });

  it('checks the signature before identity: an untrusted signer on a stranger\'s connection is a signature refusal', async () => {
    const { useCase, rejected } = setUp('required');
    expect(await codeOf(useCase.execute(command(envelope({ signer: 'untrusted-rsa' }), tls('population-registry'))))).toBe('SIGNATURE_CERT_UNTRUSTED');
    expect(rejected()[0]).toMatchObject({ verification: 'failed' });
  });

  it('refuses a call without a TLS client certificate where one is required', async () => {
    const { useCase } = setUp('required');
    expect(await codeOf(useCase.execute(command(envelope())))).toBe('INBOUND_CLIENT_UNAUTHENTICATED');
  });
});
