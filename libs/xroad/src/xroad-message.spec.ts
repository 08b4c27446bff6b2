import { buildSoapFault } from './soap-fault';
import { XRoadErrorCode } from './xroad-error-code';
import { DEFAULT_MINISTRY, clientIdOf, xroadClientFor, xroadServiceFor } from './xroad-identifier';
import { XRoadHeaders, buildXRoadMessage, parseXRoadMessage, requireRequestHeaders } from './xroad-message';
import { requestHash } from './request-hash';
import { replyBindingMismatches } from './reply-binding';

const headers = (): XRoadHeaders => ({
  client: xroadClientFor('MLSP/pensions'),
  service: xroadServiceFor('AZ/GOV/1400000002/population-registry', 'GetPerson'),
  id: '01JDEV0000000000000000TEST',
  userId: 'AZ1234567',
  issue: 'case <42>',
  protocolVersion: '4.0',
});

const payload = '<?xml version="1.0"?><p:GetPersonRequest xmlns:p="urn:korpu:population:person"><p:Fin>5ABC123</p:Fin></p:GetPersonRequest>';

describe('X-Road identifiers', () => {
  it('maps a ministry subsystem to the ministry member and back', () => {
    const id = xroadClientFor('MLSP/pensions');
    expect(id).toEqual({ xRoadInstance: 'AZ', memberClass: 'GOV', memberCode: DEFAULT_MINISTRY.memberCode, subsystemCode: 'pensions' });
    expect(clientIdOf(id)).toBe('MLSP/pensions');
  });

  it('keeps a partner identifier as it is', () => {
    expect(clientIdOf(xroadClientFor('AZ/GOV/1400000001/egov-portal'))).toBe('AZ/GOV/1400000001/egov-portal');
  });

  it('refuses an identifier of another shape', () => {
    expect(() => xroadClientFor('pensions')).toThrow(expect.objectContaining({ code: XRoadErrorCode.IDENTIFIER_INVALID }));
    expect(() => xroadServiceFor('AZ/GOV/1', 'GetPerson')).toThrow(expect.objectContaining({ code: XRoadErrorCode.IDENTIFIER_INVALID }));
  });
});

describe('X-Road SOAP messages', () => {
  it('round-trips headers and the payload element', () => {
    const xml = buildXRoadMessage({ ...headers(), requestHash: requestHash('abc') }, payload);
    const message = parseXRoadMessage(xml);
    expect(message.headers).toEqual({ ...headers(), requestHash: requestHash('abc') });
    expect(message.payload).toBe('<p:GetPersonRequest xmlns:p="urn:korpu:population:person"><p:Fin>5ABC123</p:Fin></p:GetPersonRequest>');
    expect(requireRequestHeaders(message.headers).service.serviceCode).toBe('GetPerson');
  });

  it('refuses a payload or a message with a DOCTYPE', () => {
    const evil = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>';
    expect(() => buildXRoadMessage(headers(), evil)).toThrow(expect.objectContaining({ code: XRoadErrorCode.DOCTYPE_FORBIDDEN }));
    expect(() => parseXRoadMessage(evil)).toThrow(expect.objectContaining({ code: XRoadErrorCode.DOCTYPE_FORBIDDEN }));
  });

  it('refuses malformed XML and a Body with two elements', () => {
    expect(() => parseXRoadMessage('<soapenv:Envelope')).toThrow(expect.objectContaining({ code: XRoadErrorCode.MESSAGE_MALFORMED }));
    const two = buildXRoadMessage(headers(), payload).replace('</soapenv:Body>', '<extra/></soapenv:Body>');
    expect(() => parseXRoadMessage(two)).toThrow(expect.objectContaining({ code: XRoadErrorCode.BODY_INVALID }));
  });

  it('requires client, service, id and protocol version 4.0 on a request', () => {
    expect(() => requireRequestHeaders({ ...headers(), client: undefined })).toThrow(expect.objectContaining({ code: XRoadErrorCode.HEADER_INVALID }));
    expect(() => requireRequestHeaders({ ...headers(), protocolVersion: '3.1' })).toThrow(
      expect.objectContaining({ code: XRoadErrorCode.PROTOCOL_VERSION_UNSUPPORTED }),
    );
  });

  it('reads a SOAP Fault with the Körpü code in its detail', () => {
    const message = parseXRoadMessage(buildSoapFault({ faultcode: 'Client', faultstring: 'bad <sig>', code: 'SIGNATURE_INVALID' }));
    expect(message.fault).toEqual({ faultcode: 'Client', faultstring: 'bad <sig>', code: 'SIGNATURE_INVALID' });
  });
});

describe('binding a reply to its request', () => {
  const requestXml = buildXRoadMessage(headers(), payload);
  const request = { headers: headers(), xml: requestXml };
  const reply = (): Partial<XRoadHeaders> => ({ ...headers(), requestHash: requestHash(requestXml) });

  it('accepts a reply that echoes client, service and id and carries the request hash', () => {
    expect(replyBindingMismatches(request, reply())).toEqual([]);
    // as read back from the wire
    expect(replyBindingMismatches(request, parseXRoadMessage(buildXRoadMessage(reply() as XRoadHeaders, payload)).headers)).toEqual([]);
  });

  it('refuses a reply without requestHash, or with the hash of another request', () => {
    expect(replyBindingMismatches(request, { ...reply(), requestHash: undefined })).toEqual(['requestHash (missing)']);
    const other = buildXRoadMessage({ ...headers(), id: '01JDEV0000000000000000OTHER' }, payload);
    expect(replyBindingMismatches(request, { ...reply(), requestHash: requestHash(other) })).toEqual(['requestHash']);
  });

  it('refuses a reply for another id, client or service', () => {
    expect(replyBindingMismatches(request, { ...reply(), id: '01JDEV0000000000000000OTHER' })).toEqual(['id']);
    expect(replyBindingMismatches(request, { ...reply(), client: xroadClientFor('MLSP/benefits') })).toEqual(['client']);
    expect(replyBindingMismatches(request, { ...reply(), service: xroadServiceFor('AZ/GOV/1400057421/tax-register', 'GetPerson') })).toEqual([
      'service',
    ]);
    expect(replyBindingMismatches(request, { ...reply(), service: { ...headers().service, serviceCode: 'DeletePerson' } })).toEqual(['service']);
    expect(replyBindingMismatches(request, { requestHash: requestHash(requestXml) })).toEqual(['id (missing)', 'client (missing)', 'service (missing)']);
  });
});
