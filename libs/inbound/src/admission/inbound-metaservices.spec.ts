import { JWS_SIGNATURE_HEADER, jwsRequestHash } from '@korpu/signature';
import { XROAD_PROTOCOL_VERSION, XRoadServiceId, buildXRoadMessage, readXRoadMessage, requestHash, xroadClientFor } from '@korpu/xroad';
import { DevPkiManifest } from '../../../../certs-dev/dev-pki';
import { AdmitRestRequestCommand } from '../admit-rest-request/admit-rest-request.command';
import { AdmitRestRequestUseCase } from '../admit-rest-request/admit-rest-request.usecase';
import { AdmitSoapRequestCommand } from '../admit-soap-request/admit-soap-request.command';
import { AdmitSoapRequestUseCase } from '../admit-soap-request/admit-soap-request.usecase';
import { PORTAL, admissionParts, admissionPki, catalogue, signatureOf } from '../testing/admission-fixtures';
import { InboundMetaservices, RestMetaserviceAnswer, SoapMetaserviceAnswer } from './inbound-metaservices.port';

let pki: DevPkiManifest;
let pkiDir: string;
beforeAll(async () => {
  ({ pki, pkiDir } = await admissionPki());
}, 60_000);

/** Records what it was asked; answers listMethods over SOAP, getWsdl with an attachment, and every REST target. */
class RecordingMetaservices extends InboundMetaservices {
  readonly calls: unknown[] = [];
  isMetaservice(serviceCode: string): boolean {
    return serviceCode === 'listMethods' || serviceCode === 'getWsdl';
  }
  answerSoap(call: { clientId: string; service: XRoadServiceId; payload: string }): Promise<SoapMetaserviceAnswer> {
    this.calls.push(call);
    return Promise.resolve(
      call.service.serviceCode === 'getWsdl'
        ? { payload: '<m:getWsdlResponse xmlns:m="urn:m"/>', attachment: { contentType: 'text/xml', body: '<definitions/>' } }
        : { payload: '<m:listMethodsResponse xmlns:m="urn:m"/>' },
    );
  }
  answerRest(call: { clientId: string; target: string }): Promise<RestMetaserviceAnswer> {
    this.calls.push(call);
    return Promise.resolve({ contentType: 'application/json', body: '{"service":[]}' });
  }
}

function setUp() {
  const parts = admissionParts(pki, pkiDir);
  const metaservices = new RecordingMetaservices();
  const args = [parts.ministry.keyRing, parts.identity, parts.inbound.asUseCase(), parts.rejections, parts.catalogue, parts.options, metaservices] as const;
  return {
    ...parts,
    metaservices,
    soap: new AdmitSoapRequestUseCase(parts.ministry.soapVerifier, parts.ministry.soapSigner, ...args),
    rest: new AdmitRestRequestUseCase(parts.ministry.jwsVerifier, parts.ministry.jwsSigner, ...args),
  };
}

function soapCall(serviceCode: string, signer = 'egov-portal-rsa'): string {
  const unsigned = buildXRoadMessage(
    { client: xroadClientFor(PORTAL), service: { ...catalogue().xroadMember, subsystemCode: 'pensions', serviceCode }, id: 'portal-meta-1', userId: 'AZ0000001', protocolVersion: XROAD_PROTOCOL_VERSION },
    `<xrd:${serviceCode} xmlns:xrd="http://x-road.eu/xsd/xroad.xsd"/>`,
  );
  return signatureOf(pki, signer).soapSigner.sign(unsigned);
}

const TARGET = '/r1/AZ/GOV/1400000003/pensions/allowedMethods';
function restHeaders(signer = 'egov-portal-rsa'): Record<string, string> {
  const headers = { 'x-road-client': PORTAL, 'x-road-id': 'portal-meta-2' };
  return { ...headers, [JWS_SIGNATURE_HEADER]: signatureOf(pki, signer).jwsSigner.sign('', { method: 'GET', path: TARGET, messageId: headers['x-road-id'], headers }) };
}
const restCommand = (headers: Record<string, string>) => AdmitRestRequestCommand.create({ operation: 'allowedMethods', target: TARGET, body: '', headers });

describe('metaservices through the inbound admission', () => {
  it('answers a signed SOAP metaservice call through the port, signed and bound to the request, without a subsystem', async () => {
    const { soap, metaservices, inbound, ministry } = setUp();
    const body = soapCall('listMethods');
    const answer = await soap.execute(AdmitSoapRequestCommand.create({ body, headers: {} }));
    expect(metaservices.calls).toEqual([expect.objectContaining({ clientId: PORTAL, service: expect.objectContaining({ subsystemCode: 'pensions', serviceCode: 'listMethods' }) })]);
    expect(inbound.requests).toEqual([]);
    const reply = readXRoadMessage((await ministry.soapVerifier.verify(answer.body)).document);
    expect(reply.headers.requestHash).toBe(requestHash(body));
    expect(reply.payload).toContain('listMethodsResponse');
  });

  it('answers getWsdl as multipart/related: the signed envelope, then the attachment', async () => {
    const { soap } = setUp();
    const answer = await soap.execute(AdmitSoapRequestCommand.create({ body: soapCall('getWsdl'), headers: {} }));
    expect(answer.contentType).toMatch(/^multipart\/related; type="text\/xml"; start="<envelope>"; boundary="korpu-/);
    expect(answer.body.indexOf('getWsdlResponse')).toBeLessThan(answer.body.indexOf('<definitions/>'));
  });

  it('refuses a metaservice call signed by an untrusted key before the port sees it, and records the refusal', async () => {
    const { soap, metaservices, rejected } = setUp();
    await expect(soap.execute(AdmitSoapRequestCommand.create({ body: soapCall('listMethods', 'untrusted-rsa'), headers: {} }))).rejects.toMatchObject({ code: 'SIGNATURE_CERT_UNTRUSTED' });
    expect(metaservices.calls).toEqual([]);
    expect(rejected()).toEqual([expect.objectContaining({ code: 'SIGNATURE_CERT_UNTRUSTED' })]);
  });

  it('answers a signed REST GET through the port with a JWS over the answer bound to the request', async () => {
    const { rest, metaservices, ministry } = setUp();
    const headers = restHeaders();
    const answer = await rest.executeMetaservice(restCommand(headers));
    expect(metaservices.calls).toEqual([{ clientId: PORTAL, target: TARGET }]);
    expect(answer).toMatchObject({ contentType: 'application/json', body: '{"service":[]}' });
    const binding = { method: 'GET', path: TARGET, messageId: 'portal-meta-2', status: 200, headers: {}, requestHash: jwsRequestHash(headers[JWS_SIGNATURE_HEADER]) };
    await expect(ministry.jwsVerifier.verify(answer.headers[JWS_SIGNATURE_HEADER], answer.body, binding)).resolves.toBeDefined();
  });

  it('refuses an unsigned REST metaservice call, and one whose target differs from what was signed', async () => {
    const { rest, metaservices } = setUp();
    const { [JWS_SIGNATURE_HEADER]: _jws, ...unsigned } = restHeaders();
    await expect(rest.executeMetaservice(restCommand(unsigned))).rejects.toMatchObject({ code: 'SIGNATURE_MISSING' });
    const moved = AdmitRestRequestCommand.create({ operation: 'listMethods', target: TARGET.replace('allowedMethods', 'listMethods'), body: '', headers: restHeaders() });
    await expect(rest.executeMetaservice(moved)).rejects.toMatchObject({ code: 'SIGNATURE_JWS_BINDING_MISMATCH' });
    expect(metaservices.calls).toEqual([]);
  });
});
