import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as path from 'node:path';
import { newMessageId } from '@korpu/envelope';
import { loadInboundCatalogue } from '@korpu/inbound';
import { JWS_SIGNATURE_HEADER, SignatureServices, jwsRequestHash } from '@korpu/signature';
import {
  XRoadHeaders,
  XROAD_PROTOCOL_VERSION,
  buildXRoadMessage,
  escapeXml,
  formatXRoadId,
  parseXRoadMessage,
  readXRoadMessage,
  requestHash,
  xroadClientFor,
} from '@korpu/xroad';
import type { SimulatorRegistration } from '../simulator-context';
import { EndpointResponse, PORTAL_TLS_CHOICES, PartnerEndpointAdapter, PortalTls } from './partner-endpoint.adapter';
import { MetaserviceCall, callMetaservice } from './portal-metaservice.call';

/** The portal's X-Road identity (its certificates are egov-portal-rsa / egov-portal-ec). */
export const EGOV_PORTAL_CLIENT = 'AZ/GOV/1400000001/egov-portal';

export interface PortalCall {
  operation: 'GetPensionEntitlement' | 'GetDisabilityStatus' | string;
  fin: string;
  transport?: 'soap' | 'rest';
  /**
   * Misbehave on purpose: alter the Body after signing, send unsigned, sign with an untrusted key, claim (and sign
   * the claim of) another client, or (REST) change a signed header — X-Road-UserId — after signing.
   */
  tamper?: 'body' | 'unsigned' | 'untrusted-signer' | 'other-client' | 'header';
  userId?: string;
  /** Call as another registered party, with its dev key (e.g. to see ACCESS_DENIED). */
  as?: { client: string; key: string };
  /** Declare this request schema version (X-Korpu-Schema-Version); default: none, the ministry's current one. */
  schemaVersion?: string;
  /** Ask for the payment history (an element that exists from pension-entitlement-request v2 on). */
  paymentHistory?: boolean;
  /** Over an https:// partner endpoint: which TLS client certificate to present (default: the portal's own). */
  tls?: PortalTls;
}

/** What the portal learned when the connection itself failed (e.g. a TLS handshake refused). */
function transportFailure(transport: string, messageId: string, error: unknown): Record<string, unknown> {
  const failure = error as { code?: string; message?: string };
  return { transport, messageId, transportError: failure.code ?? 'ERROR', message: failure.message ?? String(error) };
}

/** The payload element of the portal's request for `operation` (also what the inbound bench sends). */
export function requestPayload(operation: string, fin: string, paymentHistory = false): string {
  if (operation === 'GetDisabilityStatus') {
    return `<d:GetDisabilityStatusRequest xmlns:d="urn:korpu:disability:status"><d:Fin>${escapeXml(fin)}</d:Fin></d:GetDisabilityStatusRequest>`;
  }
  return (
    `<p:GetPensionEntitlementRequest xmlns:p="urn:korpu:pension:entitlement"><p:Fin>${escapeXml(fin)}</p:Fin>` +
    `<p:RequestingAgencyCode>EGOV</p:RequestingAgencyCode><p:PurposeCode>CITIZEN_SELF_SERVICE</p:PurposeCode>` +
    (paymentHistory ? `<p:IncludePaymentHistory>true</p:IncludePaymentHistory>` : '') +
    `</p:GetPensionEntitlementRequest>`
  );
}

/**
 * The e-Government portal: calls the ministry's services over signed SOAP (egov-portal-rsa) or signed REST,
 * over HTTPS with its TLS client certificate (tls/egov-portal) when the partner endpoint URL is https://, and
 * checks what comes back. Tests drive it with POST /_sim/call and read what it got.
 */
export const registerEgovPortal: SimulatorRegistration = async (app: FastifyInstance, context) => {
  const own = await context.signature('egov-portal-rsa');
  const others = new Map<string, Promise<SignatureServices>>();
  const keyOf = (name: string) => others.get(name) ?? others.set(name, context.signature(name)).get(name)!;
  const catalogue = loadInboundCatalogue(path.join(context.config.contractsDir, 'ministry'));
  const pki = await context.pki();
  const { portalTls } = context.config;
  const endpoint = new PartnerEndpointAdapter(new URL(context.config.partnerEndpointUrl), portalTls.caFile, {
    portal: { certFile: portalTls.certFile, keyFile: portalTls.keyFile },
    none: {},
    untrusted: { certFile: pki.tlsClients.untrusted.chain, keyFile: pki.tlsClients.untrusted.key },
    'other-client': { certFile: pki.tlsClients['population-registry'].chain, keyFile: pki.tlsClients['population-registry'].key },
  });
  context.controls.register(app);

  // POST /_sim/metaservice {metaservice, transport, provider, serviceCode?, as?}: one signed metaservice call.
  app.post('/_sim/metaservice', async (request: FastifyRequest) => {
    const call = (request.body ?? {}) as MetaserviceCall;
    return callMetaservice(call, call.as ? await keyOf(call.as.key) : own, own, endpoint, call.as?.client ?? EGOV_PORTAL_CLIENT);
  });

  app.post('/_sim/call', async (request: FastifyRequest, reply: FastifyReply) => {
    const call = (request.body ?? {}) as PortalCall;
    if (call.tls !== undefined && !PORTAL_TLS_CHOICES.includes(call.tls)) {
      return reply.status(400).send({ error: `tls must be one of ${PORTAL_TLS_CHOICES.join(', ')}` });
    }
    const service = catalogue.find(call.operation);
    const payload = requestPayload(call.operation, call.fin ?? '', call.paymentHistory);
    const versionHeader: Record<string, string> = call.schemaVersion ? { 'x-korpu-schema-version': call.schemaVersion } : {};
    const messageId = newMessageId();
    const signer = call.as ? await keyOf(call.as.key) : own;
    const caller = call.as?.client ?? EGOV_PORTAL_CLIENT;
    if (call.transport === 'rest') {
      const restPath = service?.restPath ?? `/rest/v1/${call.operation}`;
      const headers: Record<string, string> = {
        'content-type': 'application/xml',
        'x-road-client': call.tamper === 'other-client' ? 'AZ/GOV/1400000002/population-registry' : caller,
        'x-road-id': messageId,
        'x-road-userid': call.userId ?? 'AZ0000001',
        ...versionHeader,
      };
      // The JWS covers the body, method, path and every X-Road and schema header as sent.
      const jwsSigner = call.tamper === 'untrusted-signer' ? (await keyOf('untrusted-rsa')).jwsSigner : signer.jwsSigner;
      const jws = jwsSigner.sign(payload, { method: 'POST', path: restPath, messageId, headers });
      if (call.tamper === 'header') headers['x-road-userid'] = 'AZ9999999';
      let response: EndpointResponse;
      try {
        response = await endpoint.post(
          restPath,
          { ...headers, ...(call.tamper === 'unsigned' ? {} : { [JWS_SIGNATURE_HEADER]: jws }) },
          call.tamper === 'body' ? payload.replace(call.fin, '5ZZZZZ9') : payload,
          call.tls,
        );
      } catch (error) {
        return transportFailure('rest', messageId, error);
      }
      const text = response.text;
      const result: Record<string, unknown> = { transport: 'rest', messageId, httpStatus: response.status, contentType: response.header('content-type') ?? null };
      if (response.header('content-type')?.includes('problem+json')) result.problem = JSON.parse(text);
      else {
        result.payload = text;
        try {
          const verified = await own.jwsVerifier.verify(response.header(JWS_SIGNATURE_HEADER) ?? '', text, {
            method: 'POST',
            path: restPath,
            messageId,
            status: response.status,
            headers: response.headers,
            requestHash: jwsRequestHash(jws),
          });
          result.verified = true;
          result.signer = verified.signer.subject;
        } catch (error) {
          result.verified = false;
          result.verificationError = (error as { code?: string }).code ?? String(error);
        }
      }
      return result;
    }

    const headers: XRoadHeaders = {
      client: xroadClientFor(call.tamper === 'other-client' ? 'AZ/GOV/1400000002/population-registry' : caller),
      service: { ...catalogue.xroadMember, subsystemCode: service?.owner ?? 'unknown', serviceCode: call.operation },
      id: messageId,
      userId: call.userId ?? 'AZ0000001',
      protocolVersion: XROAD_PROTOCOL_VERSION,
    };
    const unsigned = buildXRoadMessage(headers, payload);
    let xml: string;
    if (call.tamper === 'unsigned') xml = unsigned;
    else if (call.tamper === 'untrusted-signer') xml = (await keyOf('untrusted-rsa')).soapSigner.sign(unsigned);
    else xml = signer.soapSigner.sign(unsigned);
    if (call.tamper === 'body') xml = xml.replace(`>${call.fin}<`, '>5ZZZZZ9<');
    let response: EndpointResponse;
    try {
      response = await endpoint.post(
        '/soap',
        { 'content-type': 'text/xml; charset=utf-8', SOAPAction: `"${service?.soapAction ?? call.operation}"`, ...versionHeader },
        xml,
        call.tls,
      );
    } catch (error) {
      return transportFailure('soap', messageId, error);
    }
    const text = response.text;
    const result: Record<string, unknown> = {
      transport: 'soap',
      messageId,
      client: formatXRoadId(headers.client),
      httpStatus: response.status,
      contentType: response.header('content-type') ?? null,
      deprecation: response.header('deprecation') ?? null,
    };
    try {
      const message = parseXRoadMessage(text);
      if (message.fault) return { ...result, fault: message.fault };
      try {
        const verified = await own.soapVerifier.verify(text);
        const checked = readXRoadMessage(verified.document);
        Object.assign(result, {
          verified: true,
          signer: verified.signer.subject,
          payload: checked.payload,
          replyHeaders: checked.headers,
          requestHashMatches: checked.headers.requestHash === requestHash(xml),
        });
      } catch (error) {
        Object.assign(result, { verified: false, verificationError: (error as { code?: string }).code ?? String(error), payload: message.payload });
      }
    } catch (error) {
      result.error = `unreadable reply: ${(error as Error).message}`;
      result.body = text.slice(0, 500);
    }
    return result;
  });
};
