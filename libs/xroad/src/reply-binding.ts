import { requestHash } from './request-hash';
import { XRoadClientId, XRoadServiceId, formatXRoadId } from './xroad-identifier';
import { XRoadHeaders } from './xroad-message';

function sameService(a: XRoadServiceId | undefined, b: XRoadServiceId): boolean {
  return (
    a !== undefined &&
    formatXRoadId(a) === formatXRoadId(b) &&
    a.serviceCode === b.serviceCode &&
    (a.serviceVersion ?? '') === (b.serviceVersion ?? '')
  );
}

function sameClient(a: XRoadClientId | undefined, b: XRoadClientId): boolean {
  return a !== undefined && formatXRoadId(a) === formatXRoadId(b);
}

/**
 * What binds an X-Road 4.0 reply to the request it answers: it echoes the request's xrd:client, xrd:service and
 * xrd:id, and carries xrd:requestHash, the hash of the request exactly as it travelled. Returns the headers that
 * are missing or different (empty: the reply answers this request).
 */
export function replyBindingMismatches(request: { headers: XRoadHeaders; xml: string | Buffer }, reply: Partial<XRoadHeaders>): string[] {
  const mismatches: string[] = [];
  if (reply.requestHash === undefined) mismatches.push('requestHash (missing)');
  else if (reply.requestHash !== requestHash(request.xml)) mismatches.push('requestHash');
  if (reply.id !== request.headers.id) mismatches.push(reply.id === undefined ? 'id (missing)' : 'id');
  if (!sameClient(reply.client, request.headers.client)) mismatches.push(reply.client === undefined ? 'client (missing)' : 'client');
  if (!sameService(reply.service, request.headers.service)) mismatches.push(reply.service === undefined ? 'service (missing)' : 'service');
  return mismatches;
}
