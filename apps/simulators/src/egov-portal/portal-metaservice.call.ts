import { newMessageId } from '@korpu/envelope';
import { JWS_SIGNATURE_HEADER, SignatureServices, jwsRequestHash } from '@korpu/signature';
import { XRoadNs, XROAD_PROTOCOL_VERSION, buildXRoadMessage, escapeXml, parseXRoadClientId, parseXRoadMessage, readXRoadMessage, requestHash, xroadClientFor } from '@korpu/xroad';
import type { PartnerEndpointAdapter } from './partner-endpoint.adapter';

/** What a test asks the portal to call: one X-Road metaservice, over SOAP or REST, about a provider subsystem. */
export interface MetaserviceCall {
  metaservice: 'listClients' | 'listMethods' | 'allowedMethods' | 'getWsdl' | 'getOpenAPI' | string;
  transport?: 'soap' | 'rest';
  /** The provider, e.g. `AZ/GOV/1400000003/pensions`. */
  provider: string;
  serviceCode?: string;
  /** Call as another registered party, with its dev key. */
  as?: { client: string; key: string };
}

/** The multipart/related parts of an answer, by Content-ID (getWsdl's envelope and WSDL attachment). */
function multipartParts(contentType: string, text: string): Record<string, string> {
  const boundary = /boundary="([^"]+)"/.exec(contentType)?.[1];
  if (!boundary) return {};
  const parts: Record<string, string> = {};
  for (const chunk of text.split(`--${boundary}`).slice(1, -1)) {
    const [head, ...rest] = chunk.replace(/^\r\n/, '').split('\r\n\r\n');
    const id = /Content-ID: <([^>]+)>/i.exec(head)?.[1] ?? '';
    parts[id] = rest.join('\r\n\r\n').replace(/\r\n$/, '');
  }
  return parts;
}

/**
 * The portal calls a metaservice at the partner endpoint signed like any call: over SOAP an X-Road request whose
 * service is the provider plus the metaservice code; over REST a JWS-signed GET of /r1/{provider}/{metaservice}.
 * It checks the signature of what comes back and returns what it got.
 */
export async function callMetaservice(call: MetaserviceCall, signer: SignatureServices, own: SignatureServices, endpoint: PartnerEndpointAdapter, caller: string): Promise<Record<string, unknown>> {
  const messageId = newMessageId();
  if (call.transport === 'rest') {
    const query = call.serviceCode ? `?serviceCode=${encodeURIComponent(call.serviceCode)}` : '';
    const path = call.metaservice === 'listClients' ? '/r1/listClients' : `/r1/${call.provider}/${call.metaservice}${query}`;
    const headers: Record<string, string> = { 'x-road-client': caller, 'x-road-id': messageId };
    const jws = signer.jwsSigner.sign('', { method: 'GET', path, messageId, headers });
    const response = await endpoint.get(path, { ...headers, [JWS_SIGNATURE_HEADER]: jws });
    const result: Record<string, unknown> = { transport: 'rest', httpStatus: response.status, contentType: response.header('content-type') ?? null, body: response.text };
    if (response.status === 200) {
      try {
        await own.jwsVerifier.verify(response.header(JWS_SIGNATURE_HEADER) ?? '', response.text, {
          method: 'GET',
          path,
          messageId,
          status: 200,
          headers: response.headers,
          requestHash: jwsRequestHash(jws),
        });
        result.verified = true;
      } catch (error) {
        result.verified = false;
        result.verificationError = (error as { code?: string }).code ?? String(error);
      }
    }
    return result;
  }
  const body =
    call.metaservice === 'getWsdl'
      ? `<xrd:getWsdl xmlns:xrd="${XRoadNs.XROAD}"><xrd:serviceCode>${escapeXml(call.serviceCode ?? '')}</xrd:serviceCode></xrd:getWsdl>`
      : `<xrd:${call.metaservice} xmlns:xrd="${XRoadNs.XROAD}"/>`;
  const xml = signer.soapSigner.sign(
    buildXRoadMessage(
      {
        client: xroadClientFor(caller),
        service: { ...parseXRoadClientId(call.provider), serviceCode: call.metaservice },
        id: messageId,
        userId: 'AZ0000001',
        protocolVersion: XROAD_PROTOCOL_VERSION,
      },
      body,
    ),
  );
  const response = await endpoint.post('/soap', { 'content-type': 'text/xml; charset=utf-8', SOAPAction: '""' }, xml);
  const contentType = response.header('content-type') ?? '';
  const parts = contentType.startsWith('multipart/related') ? multipartParts(contentType, response.text) : { envelope: response.text };
  const result: Record<string, unknown> = { transport: 'soap', httpStatus: response.status, contentType, ...(parts.attachment !== undefined ? { attachment: parts.attachment } : {}) };
  const envelope = parts.envelope ?? '';
  const message = parseXRoadMessage(envelope);
  if (message.fault) return { ...result, fault: message.fault };
  try {
    const verified = await own.soapVerifier.verify(envelope);
    const checked = readXRoadMessage(verified.document);
    return { ...result, verified: true, payload: checked.payload, requestHashMatches: checked.headers.requestHash === requestHash(xml) };
  } catch (error) {
    return { ...result, verified: false, verificationError: (error as { code?: string }).code ?? String(error), payload: message.payload };
  }
}
