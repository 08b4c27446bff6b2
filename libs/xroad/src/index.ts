/**
 * @korpu/xroad — the X-Road message protocol 4.0 over SOAP 1.1, shared by the SOAP partner driver, the partner
 * endpoint and the simulators: identifiers, building and safely parsing envelopes, SOAP Faults, xrd:requestHash.
 * Signing and verifying is @korpu/signature's job.
 */
export { XRoadErrorCode } from './xroad-error-code';
export { XRoadException } from './xroad.exception';
export { XRoadNs, XROAD_PROTOCOL_VERSION, REQUEST_HASH_ALGORITHM } from './xroad-namespaces';
export {
  DEFAULT_MINISTRY,
  clientIdOf,
  formatXRoadId,
  parseXRoadClientId,
  sameXRoadId,
  xroadClientFor,
  xroadServiceFor,
} from './xroad-identifier';
export type { XRoadClientId, XRoadMinistry, XRoadServiceId } from './xroad-identifier';
export { buildXRoadMessage, parseXRoadMessage, readXRoadMessage, requireRequestHeaders } from './xroad-message';
export type { XRoadHeaders, XRoadMessage } from './xroad-message';
export { buildSoapFault, faultcodeFor, readFault } from './soap-fault';
export type { SoapFault } from './soap-fault';
export { requestHash } from './request-hash';
export { replyBindingMismatches } from './reply-binding';
export { parseXmlSafe, payloadElementXml, serializeXml, escapeXml } from './safe-xml';
