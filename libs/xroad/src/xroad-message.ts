import { Document, Element } from '@xmldom/xmldom';
import { childElements, childNamed, escapeXml, parseXmlSafe, payloadElementXml, serializeXml, textOf } from './safe-xml';
import { SoapFault, readFault } from './soap-fault';
import { XRoadErrorCode } from './xroad-error-code';
import { XRoadClientId, XRoadServiceId } from './xroad-identifier';
import { REQUEST_HASH_ALGORITHM, XROAD_PROTOCOL_VERSION, XRoadNs } from './xroad-namespaces';
import { XRoadException } from './xroad.exception';

/** The X-Road 4.0 SOAP headers of a request or a reply. */
export interface XRoadHeaders {
  client: XRoadClientId;
  service: XRoadServiceId;
  /** Unique message id; Körpü uses its envelope's message id. */
  id: string;
  userId?: string;
  /** Case or correlation reference. */
  issue?: string;
  protocolVersion: string;
  /** Replies only: base64 SHA-512 of the request message. */
  requestHash?: string;
}

/** A SOAP message read safely: its X-Road headers, and either its payload element or a Fault. */
export interface XRoadMessage {
  document: Document;
  headers: Partial<XRoadHeaders>;
  /** The Body's payload element, serialized with the namespace declarations it uses. */
  payload?: string;
  payloadElement?: Element;
  fault?: SoapFault;
}

function identifierXml(tag: 'client' | 'service', id: XRoadClientId | XRoadServiceId): string {
  const service = tag === 'service' ? (id as XRoadServiceId) : undefined;
  const objectType = service ? 'SERVICE' : id.subsystemCode ? 'SUBSYSTEM' : 'MEMBER';
  const fields: Array<[string, string | undefined]> = [
    ['xRoadInstance', id.xRoadInstance],
    ['memberClass', id.memberClass],
    ['memberCode', id.memberCode],
    ['subsystemCode', id.subsystemCode],
    ['serviceCode', service?.serviceCode],
    ['serviceVersion', service?.serviceVersion],
  ];
  const inner = fields
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `<id:${name}>${escapeXml(value as string)}</id:${name}>`)
    .join('');
  return `<xrd:${tag} id:objectType="${objectType}">${inner}</xrd:${tag}>`;
}

/** Builds a SOAP 1.1 envelope with X-Road 4.0 headers around one payload element (given as an XML document). */
export function buildXRoadMessage(headers: XRoadHeaders, payloadXml: string): string {
  return wrap(headers, payloadElementXml(payloadXml));
}

function wrap(headers: XRoadHeaders, bodyContent: string): string {
  const optional = (tag: string, value: string | undefined) => (value === undefined ? '' : `<xrd:${tag}>${escapeXml(value)}</xrd:${tag}>`);
  const hash =
    headers.requestHash === undefined
      ? ''
      : `<xrd:requestHash algorithmId="${REQUEST_HASH_ALGORITHM}">${escapeXml(headers.requestHash)}</xrd:requestHash>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<soapenv:Envelope xmlns:soapenv="${XRoadNs.SOAP11}" xmlns:xrd="${XRoadNs.XROAD}" xmlns:id="${XRoadNs.XROAD_ID}">` +
    `<soapenv:Header>` +
    identifierXml('client', headers.client) +
    identifierXml('service', headers.service) +
    `<xrd:id>${escapeXml(headers.id)}</xrd:id>` +
    optional('userId', headers.userId) +
    optional('issue', headers.issue) +
    `<xrd:protocolVersion>${escapeXml(headers.protocolVersion)}</xrd:protocolVersion>` +
    hash +
    `</soapenv:Header>` +
    `<soapenv:Body>${bodyContent}</soapenv:Body>` +
    `</soapenv:Envelope>`
  );
}

function readIdentifier(el: Element | undefined): XRoadServiceId | undefined {
  if (!el) return undefined;
  const field = (name: string) => textOf(childNamed(el, XRoadNs.XROAD_ID, name));
  const xRoadInstance = field('xRoadInstance');
  const memberClass = field('memberClass');
  const memberCode = field('memberCode');
  if (!xRoadInstance || !memberClass || !memberCode) {
    throw new XRoadException(XRoadErrorCode.HEADER_INVALID, `xrd:${el.localName} lacks xRoadInstance, memberClass or memberCode`);
  }
  const id: XRoadServiceId = { xRoadInstance, memberClass, memberCode, serviceCode: field('serviceCode') ?? '' };
  const subsystemCode = field('subsystemCode');
  if (subsystemCode) id.subsystemCode = subsystemCode;
  const serviceVersion = field('serviceVersion');
  if (serviceVersion) id.serviceVersion = serviceVersion;
  return id;
}

/** Reads the X-Road headers of an already-parsed (e.g. signature-verified) envelope. */
export function readXRoadMessage(document: Document): XRoadMessage {
  const envelope = document.documentElement!;
  if (envelope.namespaceURI !== XRoadNs.SOAP11 || envelope.localName !== 'Envelope') {
    throw new XRoadException(XRoadErrorCode.MESSAGE_MALFORMED, 'not a SOAP 1.1 Envelope');
  }
  const bodies = childElements(envelope).filter((e) => e.namespaceURI === XRoadNs.SOAP11 && e.localName === 'Body');
  const headerEls = childElements(envelope).filter((e) => e.namespaceURI === XRoadNs.SOAP11 && e.localName === 'Header');
  if (bodies.length !== 1 || headerEls.length > 1) throw new XRoadException(XRoadErrorCode.MESSAGE_MALFORMED, 'the Envelope needs one Body and at most one Header');
  const headers: Partial<XRoadHeaders> = {};
  const header = headerEls[0];
  if (header) {
    const xrd = (name: string) => childNamed(header, XRoadNs.XROAD, name);
    const client = readIdentifier(xrd('client'));
    if (client) {
      const { xRoadInstance, memberClass, memberCode, subsystemCode } = client;
      headers.client = { xRoadInstance, memberClass, memberCode, ...(subsystemCode ? { subsystemCode } : {}) };
    }
    const service = readIdentifier(xrd('service'));
    if (service) headers.service = service;
    headers.id = textOf(xrd('id'));
    headers.userId = textOf(xrd('userId'));
    headers.issue = textOf(xrd('issue'));
    headers.protocolVersion = textOf(xrd('protocolVersion'));
    headers.requestHash = textOf(xrd('requestHash'));
    for (const key of Object.keys(headers) as Array<keyof XRoadHeaders>) if (headers[key] === undefined) delete headers[key];
  }
  const body = bodies[0];
  const fault = readFault(body);
  if (fault) return { document, headers, fault };
  const elements = childElements(body);
  if (elements.length !== 1) throw new XRoadException(XRoadErrorCode.BODY_INVALID, `the Body must hold one payload element, it holds ${elements.length}`);
  return { document, headers, payload: serializeXml(elements[0]), payloadElement: elements[0] };
}

/** Parses a SOAP message safely (no DOCTYPE) and reads it. */
export function parseXRoadMessage(xml: string): XRoadMessage {
  return readXRoadMessage(parseXmlSafe(xml));
}

/** The headers a request must carry: client, service with a service code, id, protocolVersion 4.0. */
export function requireRequestHeaders(headers: Partial<XRoadHeaders>): XRoadHeaders {
  const missing = (['client', 'service', 'id', 'protocolVersion'] as const).filter((name) => !headers[name]);
  if (missing.length) throw new XRoadException(XRoadErrorCode.HEADER_INVALID, `missing X-Road header(s): ${missing.join(', ')}`, { missing });
  if (!headers.service?.serviceCode) throw new XRoadException(XRoadErrorCode.HEADER_INVALID, 'xrd:service lacks serviceCode');
  if (headers.protocolVersion !== XROAD_PROTOCOL_VERSION) {
    throw new XRoadException(XRoadErrorCode.PROTOCOL_VERSION_UNSUPPORTED, `protocolVersion ${headers.protocolVersion} is not supported (4.0 is)`);
  }
  return headers as XRoadHeaders;
}
