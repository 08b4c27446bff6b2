import { Element } from '@xmldom/xmldom';
import { childElements, childNamed, escapeXml, textOf } from './safe-xml';
import { XRoadNs } from './xroad-namespaces';

/** A SOAP 1.1 Fault; Körpü puts its stable error code (and error id, for server faults) in the detail. */
export interface SoapFault {
  /** `Client` (the sender must change something) or `Server` (try again later / our side). */
  faultcode: 'Client' | 'Server' | string;
  faultstring: string;
  /** Körpü's stable code, when the fault came from a Körpü component. */
  code?: string;
  errorId?: string;
  correlationId?: string;
}

/** A complete SOAP 1.1 envelope carrying one Fault. */
export function buildSoapFault(fault: SoapFault): string {
  const detail =
    fault.code === undefined
      ? ''
      : `<detail><korpu:error xmlns:korpu="${XRoadNs.KORPU_ERROR}">` +
        `<korpu:code>${escapeXml(fault.code)}</korpu:code>` +
        (fault.errorId ? `<korpu:errorId>${escapeXml(fault.errorId)}</korpu:errorId>` : '') +
        (fault.correlationId ? `<korpu:correlationId>${escapeXml(fault.correlationId)}</korpu:correlationId>` : '') +
        `</korpu:error></detail>`;
  const code = fault.faultcode.includes(':') ? fault.faultcode : `soapenv:${fault.faultcode}`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<soapenv:Envelope xmlns:soapenv="${XRoadNs.SOAP11}"><soapenv:Body><soapenv:Fault>` +
    `<faultcode>${escapeXml(code)}</faultcode><faultstring>${escapeXml(fault.faultstring)}</faultstring>${detail}` +
    `</soapenv:Fault></soapenv:Body></soapenv:Envelope>`
  );
}

/** The Fault in a Body, if there is one (faultcode without its prefix). */
export function readFault(body: Element): SoapFault | undefined {
  const fault = childNamed(body, XRoadNs.SOAP11, 'Fault');
  if (!fault) return undefined;
  // SOAP 1.1 fault children are unqualified; tolerate qualified ones too.
  const child = (name: string) => childElements(fault).find((e) => e.localName === name);
  const rawCode = textOf(child('faultcode')) ?? 'Server';
  const result: SoapFault = { faultcode: rawCode.slice(rawCode.indexOf(':') + 1), faultstring: textOf(child('faultstring')) ?? '' };
  const detail = child('detail');
  const error = detail ? childNamed(detail, XRoadNs.KORPU_ERROR, 'error') : undefined;
  if (error) {
    const code = textOf(childNamed(error, XRoadNs.KORPU_ERROR, 'code'));
    const errorId = textOf(childNamed(error, XRoadNs.KORPU_ERROR, 'errorId'));
    const correlationId = textOf(childNamed(error, XRoadNs.KORPU_ERROR, 'correlationId'));
    if (code) result.code = code;
    if (errorId) result.errorId = errorId;
    if (correlationId) result.correlationId = correlationId;
  }
  return result;
}

/** SOAP fault code for an HTTP-like status: 4xx → Client, everything else → Server. */
export function faultcodeFor(status: number): 'Client' | 'Server' {
  return status >= 400 && status < 500 ? 'Client' : 'Server';
}
