import { schemaSamples } from '@korpu/schemas';
import { JWS_SIGNATURE_HEADER, jwsRequestHash } from '@korpu/signature';
import { DevPkiManifest } from '../../../../certs-dev/dev-pki';
import type { TlsPeer } from '../admission/tls-peer';
import { POPULATION_REGISTRY, PORTAL, admissionParts, admissionPki, certificateOf, signatureOf } from '../testing/admission-fixtures';
import { AdmitRestRequestCommand } from './admit-rest-request.command';
import { AdmitRestRequestUseCase } from './admit-rest-request.usecase';

let pki: DevPkiManifest;
let pkiDir: string;
beforeAll(async () => {
  ({ pki, pkiDir } = await admissionPki());
}, 60_000);

const TARGET = '/rest/v1/GetPensionEntitlement';
const body = schemaSamples.pensionEntitlementRequestXml({ fin: '5ZJBKQ2' });

function setUp(tlsClientCertificate: 'optional' | 'required' = 'optional') {
  const parts = admissionParts(pki, pkiDir, { tlsClientCertificate });
  const useCase = new AdmitRestRequestUseCase(
    parts.ministry.jwsVerifier,
    parts.ministry.jwsSigner,
    parts.ministry.keyRing,
    parts.identity,
    parts.inbound.asUseCase(),
    parts.rejections,
    parts.catalogue,
    parts.options,
  );
  return { ...parts, useCase };
}

/** The headers of a REST call as sent (lower case, as received), signed by `signer` over body, target and headers. */
function signedHeaders(options: { client?: string; signer?: string; id?: string } = {}): Record<string, string> {
  const headers = {
    'content-type': 'application/xml',
    'x-road-client': options.client ?? PORTAL,
    'x-road-id': options.id ?? 'portal-rest-1',
    'x-road-userid': 'AZ0000001',
    'x-korpu-schema-version': '1',
  };
  const jws = signatureOf(pki, options.signer ?? 'egov-portal-rsa').jwsSigner.sign(body, { method: 'POST', path: TARGET, messageId: headers['x-road-id'], headers });
  return { ...headers, [JWS_SIGNATURE_HEADER]: jws };
}

const tls = (name: string): TlsPeer => ({ certificate: certificateOf(pki.tlsClients[name].cert) });
const command = (headers: Record<string, string | undefined>, peer?: TlsPeer, payload = body) =>
  AdmitRestRequestCommand.create({ operation: 'GetPensionEntitlement', target: TARGET, body: payload, headers, tls: peer });
const codeOf = (promise: Promise<unknown>) => promise.then(() => 'ADMITTED', (error: { code: string }) => error.code);

describe('AdmitRestRequestUseCase', () => {
  it('hands the portal\'s signed call to the inbound request and answers with a JWS over the reply, its schema version and the request', async () => {
    const { useCase, inbound, ministry } = setUp('required');
    const headers = signedHeaders();
    const answer = await useCase.execute(command(headers, tls('egov-portal')));
    expect(answer.service).toBe('ministry/GetPensionEntitlement');
    expect(inbound.requests).toEqual([
      expect.objectContaining({ clientId: PORTAL, operation: 'GetPensionEntitlement', userId: 'AZ0000001', callerMessageId: 'portal-rest-1', schemaVersion: '1' }),
    ]);
    expect(answer.headers['x-korpu-schema-version']).toBe('2');
    const binding = { method: 'POST', path: TARGET, messageId: 'portal-rest-1', status: 200, headers: answer.headers, requestHash: jwsRequestHash(headers[JWS_SIGNATURE_HEADER]) };
    await expect(ministry.jwsVerifier.verify(answer.headers[JWS_SIGNATURE_HEADER], answer.body, binding)).resolves.toBeDefined();
    await expect(ministry.jwsVerifier.verify(answer.headers[JWS_SIGNATURE_HEADER], answer.body, { ...binding, headers: { 'x-korpu-schema-version': '1' } })).rejects.toMatchObject({
      code: 'SIGNATURE_JWS_BINDING_MISMATCH',
    });
  });

  it.each([
    ['X-Road-UserId', { 'x-road-userid': 'AZ9999999' }],
    ['X-Korpu-Schema-Version', { 'x-korpu-schema-version': '2' }],
    ['X-Road-Client', { 'x-road-client': POPULATION_REGISTRY }],
    ['X-Road-Issue (added)', { 'x-road-issue': 'case-1' }],
  ])('refuses a call whose %s was changed after signing, and records the failed JWS', async (_header, change) => {
    const { useCase, inbound, rejected } = setUp();
    expect(await codeOf(useCase.execute(command({ ...signedHeaders(), ...change })))).toBe('SIGNATURE_JWS_BINDING_MISMATCH');
    expect(inbound.requests).toEqual([]);
    expect(rejected()).toEqual([expect.objectContaining({ code: 'SIGNATURE_JWS_BINDING_MISMATCH', verification: 'failed' })]);
  });

  it.each([
    ['its TLS certificate belongs to another client than its signature', () => command(signedHeaders(), tls('population-registry')), 'INBOUND_CLIENT_MISMATCH'],
    ['it declares (and signs) another client than its signer\'s', () => command(signedHeaders({ client: POPULATION_REGISTRY })), 'INBOUND_CLIENT_MISMATCH'],
    ['its signer is from a CA outside the signature trust store', () => command(signedHeaders({ signer: 'untrusted-rsa' })), 'SIGNATURE_CERT_UNTRUSTED'],
    ['it is unsigned', () => command({ ...signedHeaders(), [JWS_SIGNATURE_HEADER]: undefined }), 'SIGNATURE_MISSING'],
    ['its body was changed after signing', () => command(signedHeaders(), undefined, body.replace('5ZJBKQ2', '5ZZZZZ9')), 'SIGNATURE_INVALID'],
    ['its X-Road-Id is 3,000 characters long (signed all the same)', () => command(signedHeaders({ id: `A${'x'.repeat(3000)}` })), 'MESSAGE_ID_INVALID'],
    ['its X-Road-Id has a character outside the id rule', () => command(signedHeaders({ id: 'portal/rest 1' })), 'MESSAGE_ID_INVALID'],
  ])('refuses a call when %s, records who was refused and why, and queues nothing', async (_what, make, code) => {
    const { useCase, inbound, rejected } = setUp();
    expect(await codeOf(useCase.execute(make()))).toBe(code);
    expect(inbound.requests).toEqual([]);
    expect(rejected()).toEqual([expect.objectContaining({ code, message: expect.any(String) })]);
  });

  it('records the caller\'s address with its refusal', async () => {
    const { useCase, rejected } = setUp();
    await codeOf(useCase.execute(AdmitRestRequestCommand.create({ operation: 'GetPensionEntitlement', target: TARGET, body, headers: { ...signedHeaders(), 'x-road-id': 'bad id' }, source: '192.0.2.7' })));
    expect(rejected()).toEqual([expect.objectContaining({ code: 'MESSAGE_ID_INVALID', source: '192.0.2.7' })]);
  });

  it('records both certificates of a caller refused for a TLS and signing identity that disagree', async () => {
    const { useCase, rejected } = setUp();
    await codeOf(useCase.execute(command(signedHeaders(), tls('population-registry'))));
    expect(rejected()[0]).toMatchObject({
      client: PORTAL,
      verification: 'verified',
      certificates: { tls: expect.stringContaining('CN=population-registry-tls'), signer: expect.stringContaining('CN=egov-portal-rsa') },
    });
  });
});
