import type { XRoadServiceId } from '@korpu/xroad';

/** A SOAP metaservice's answer: the Body's content and, for getWsdl, the WSDL as a MIME attachment. */
export interface SoapMetaserviceAnswer {
  payload: string;
  attachment?: { contentType: string; body: string };
}

export interface RestMetaserviceAnswer {
  contentType: string;
  body: string;
}

/**
 * X-Road's metaservices (listClients, listMethods, allowedMethods, getWsdl, getOpenAPI) at the partner endpoint:
 * admitted like every call (signature, X-Road headers, identity), then answered by this port instead of a
 * subsystem, and signed like every reply. Implemented by @korpu/metaservices; absent, there are none.
 */
export abstract class InboundMetaservices {
  /** Whether a SOAP call's xrd:service/serviceCode names a metaservice. */
  abstract isMetaservice(serviceCode: string): boolean;
  abstract answerSoap(call: { clientId: string; service: XRoadServiceId; payload: string }): Promise<SoapMetaserviceAnswer>;
  /** A GET of `target` (path and query, e.g. `/r1/AZ/GOV/1400000003/pensions/allowedMethods`). */
  abstract answerRest(call: { clientId: string; target: string }): Promise<RestMetaserviceAnswer>;
}

/** The SOAP answer on the wire: the signed envelope alone, or multipart/related with the attachment (getWsdl). */
export function soapAnswerBody(signedEnvelope: string, attachment: SoapMetaserviceAnswer['attachment'], boundary: string): { contentType: string; body: string } {
  if (!attachment) return { contentType: 'text/xml; charset=utf-8', body: signedEnvelope };
  const part = (contentType: string, id: string, body: string) => `--${boundary}\r\nContent-Type: ${contentType}\r\nContent-ID: <${id}>\r\n\r\n${body}\r\n`;
  return {
    contentType: `multipart/related; type="text/xml"; start="<envelope>"; boundary="${boundary}"`,
    body: part('text/xml; charset=utf-8', 'envelope', signedEnvelope) + part(attachment.contentType, 'attachment', attachment.body) + `--${boundary}--\r\n`,
  };
}
