import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Document } from '@xmldom/xmldom';
import { X509Certificate } from 'node:crypto';
import { ContractsException, OperationConfig, PartnerConfig } from '@korpu/contracts';
import { Envelope, SignatureInfo } from '@korpu/envelope';
import { SpanKind, traced, tracedSync } from '@korpu/observability';
import { SoapNamespaces, SoapSigner, SoapVerifier } from '@korpu/signature';
import {
  DEFAULT_MINISTRY,
  XROAD_PROTOCOL_VERSION,
  XRoadHeaders,
  XRoadMessage,
  XRoadMinistry,
  buildXRoadMessage,
  parseXRoadMessage,
  parseXmlSafe,
  readXRoadMessage,
  replyBindingMismatches,
  serializeXml,
  xroadClientFor,
  xroadServiceFor,
} from '@korpu/xroad';
import { PartnerErrorCode, PartnerException } from '../partner.exception';
import { PartnerDriver, PartnerReply } from '../partner-client.port';
import { PartnerHttpClients } from '../partner-http-clients';
import { refuseUnboundReply, requirePartnerSigner } from '../reply-binding';
import { classifySoapError, classifySoapHttpFailure } from './classify-soap-error';
import { WsdlContractsRepository } from './wsdl-contracts.repository';

/** The ministry's X-Road member identity, for xrd:client of outbound requests (default: DEFAULT_MINISTRY). */
export const XROAD_MINISTRY = Symbol('XROAD_MINISTRY');

/**
 * Calls a partner's SOAP service as its partner.json and WSDL describe: an X-Road 4.0 envelope around the
 * request's XML payload, signed with WS-Security (SoapSigner), POSTed with its SOAPAction over one keep-alive
 * pool per partner bounded by maxConcurrency. The reply's signature (SoapVerifier), its signer (the partner's
 * `signers`) and its binding to the request (xrd:requestHash, client, service, id) are checked before its payload
 * element is handed back; the request's ds:Signature is returned for the message log.
 */
@Injectable()
export class SoapPartnerDriver implements PartnerDriver {
  private readonly ministry: XRoadMinistry;

  constructor(
    private readonly signer: SoapSigner,
    private readonly verifier: SoapVerifier,
    private readonly contracts: WsdlContractsRepository,
    private readonly http: PartnerHttpClients,
    @Optional() @Inject(XROAD_MINISTRY) ministry?: XRoadMinistry,
  ) {
    this.ministry = ministry ?? DEFAULT_MINISTRY;
  }


  /** The signed SOAP request for an envelope (exposed for tests and for the message log). */
  buildRequest(partner: PartnerConfig, operation: OperationConfig, request: Envelope): { xml: string; headers: XRoadHeaders } {
    if (!partner.xroadService) {
      throw new PartnerException(PartnerErrorCode.CLIENT_ERROR, `partner ${partner.id} has no xroadService in its partner.json`);
    }
    const headers: XRoadHeaders = {
      client: xroadClientFor(request.client, this.ministry),
      service: xroadServiceFor(partner.xroadService, operation.name),
      id: request.messageId,
      ...(request.userId ? { userId: request.userId } : {}),
      issue: request.correlationId,
      protocolVersion: XROAD_PROTOCOL_VERSION,
    };
    const unsigned = buildXRoadMessage(headers, request.payload);
    return { xml: partner.signature === 'xmldsig' ? tracedSync('sign request', () => this.signer.sign(unsigned)) : unsigned, headers };
  }

  async send(partner: PartnerConfig, operation: OperationConfig, request: Envelope): Promise<PartnerReply> {
    try {
      const contract = await this.contracts.operation(partner, operation);
      const { xml, headers } = this.buildRequest(partner, operation, request);
      const sent: SentRequest = { xml, headers, signature: partner.signature === 'xmldsig' ? signatureOf(parseXmlSafe(xml)) : undefined };
      const response = await this.http.send(partner, {
        method: 'POST',
        body: xml,
        headers: { 'content-type': 'text/xml; charset=utf-8', accept: 'text/xml', SOAPAction: `"${contract.soapAction}"` },
      });
      // Faults come with HTTP 500: every status is read here.
      const body = response.body;
      const ok = response.status >= 200 && response.status < 300;
      let message: XRoadMessage;
      try {
        message = parseXRoadMessage(body);
      } catch (error) {
        if (!ok) throw classifySoapHttpFailure({ httpStatus: response.status, body, location: locationOf(response.headers) }, partner.id);
        throw error;
      }
      if (message.fault || !ok) {
        throw classifySoapHttpFailure({ httpStatus: response.status, body, fault: message.fault, location: locationOf(response.headers) }, partner.id);
      }
      return await this.readReply(partner, sent, body, message);
    } catch (error) {
      if (error instanceof ContractsException) throw error; // our configuration, not the partner: never retried
      throw classifySoapError(error, partner.id);
    }
  }

  /**
   * Verifies the reply's signature, then that the partner signed it (its `signers`), then that it answers this
   * request (xrd:requestHash, client, service, id), and only then hands its payload element back.
   */
  private async readReply(partner: PartnerConfig, sent: SentRequest, body: string, parsed: XRoadMessage): Promise<PartnerReply> {
    let message = parsed;
    let signature: SignatureInfo | undefined;
    let signer: X509Certificate | undefined;
    if (partner.signature === 'xmldsig') {
      const verified = await traced('verify reply', SpanKind.INTERNAL, {}, () => this.verifier.verify(body));
      // Read the payload from the very nodes whose digests were verified.
      message = readXRoadMessage(verified.document);
      signer = verified.signer.certificate;
      signature = {
        format: 'xmldsig',
        value: signatureOf(verified.document)?.value ?? '',
        certificate: signer.toString(),
        keyId: verified.signer.thumbprint,
        verification: 'verified',
      };
    }
    const refused = { contentType: 'application/xml' as const, payload: body, signature, requestSignature: sent.signature };
    if (signer) requirePartnerSigner(partner, signer, refused);
    const mismatches = replyBindingMismatches(sent, message.headers);
    if (mismatches.length > 0) refuseUnboundReply(partner, mismatches, refused);
    if (message.payload === undefined) throw new PartnerException(PartnerErrorCode.REPLY_MALFORMED, `partner ${partner.id} replied with an empty Body`);
    return {
      contentType: 'application/xml',
      payload: message.payload,
      ...(signature ? { signature } : {}),
      ...(sent.signature ? { requestSignature: sent.signature } : {}),
    };
  }
}

function locationOf(headers: Record<string, unknown> | undefined): string | undefined {
  const location = headers?.location;
  return typeof location === 'string' ? location : undefined;
}

/** The request as it travelled: what its reply must be bound to. */
interface SentRequest {
  xml: string;
  headers: XRoadHeaders;
  signature?: SignatureInfo;
}

/** The WS-Security ds:Signature of a SOAP message, as the message log keeps it. */
function signatureOf(document: Document): SignatureInfo | undefined {
  const element = document.getElementsByTagNameNS(SoapNamespaces.DS, 'Signature').item(0);
  return element ? { format: 'xmldsig', value: serializeXml(element), verification: 'signed' } : undefined;
}
