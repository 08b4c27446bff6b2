import { Inject, Injectable, Optional } from '@nestjs/common';
import { ContractsException, OperationConfig, PartnerConfig } from '@korpu/contracts';
import { Envelope, SignatureInfo } from '@korpu/envelope';
import { SoapNamespaces, SoapSigner, SoapVerifier } from '@korpu/signature';
import {
  DEFAULT_MINISTRY,
  XROAD_PROTOCOL_VERSION,
  XRoadHeaders,
  XRoadMessage,
  XRoadMinistry,
  buildXRoadMessage,
  parseXRoadMessage,
  readXRoadMessage,
  requestHash,
  serializeXml,
  xroadClientFor,
  xroadServiceFor,
} from '@korpu/xroad';
import { PartnerErrorCode, PartnerException } from '../partner.exception';
import { PartnerDriver, PartnerReply } from '../partner-client.port';
import { PartnerHttpClients } from '../partner-http-clients';
import { classifySoapError, classifySoapHttpFailure } from './classify-soap-error';
import { WsdlContractsRepository } from './wsdl-contracts.repository';

/** The ministry's X-Road member identity, for xrd:client of outbound requests (default: DEFAULT_MINISTRY). */
export const XROAD_MINISTRY = Symbol('XROAD_MINISTRY');

/**
 * Calls a partner's SOAP service as its partner.json and WSDL describe: an X-Road 4.0 envelope around the
 * request's XML payload, signed with WS-Security (SoapSigner), POSTed with its SOAPAction over one keep-alive
 * pool per partner bounded by maxConcurrency. The reply's signature (SoapVerifier) and xrd:requestHash are
 * checked before its payload element is handed back.
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
    return { xml: partner.signature === 'xmldsig' ? this.signer.sign(unsigned) : unsigned, headers };
  }

  async send(partner: PartnerConfig, operation: OperationConfig, request: Envelope): Promise<PartnerReply> {
    try {
      const contract = await this.contracts.operation(partner, operation);
      const { xml } = this.buildRequest(partner, operation, request);
      const response = await this.http.for(partner).post<string>(partner.endpoint.url, xml, {
        headers: { 'content-type': 'text/xml; charset=utf-8', accept: 'text/xml', SOAPAction: `"${contract.soapAction}"` },
        // Faults come with HTTP 500: every status is read here, not thrown by axios.
        validateStatus: () => true,
      });
      const body = typeof response.data === 'string' ? response.data : '';
      const ok = response.status >= 200 && response.status < 300;
      let message: XRoadMessage;
      try {
        message = parseXRoadMessage(body);
      } catch (error) {
        if (!ok) throw classifySoapHttpFailure({ httpStatus: response.status, body }, partner.id);
        throw error;
      }
      if (message.fault || !ok) throw classifySoapHttpFailure({ httpStatus: response.status, body, fault: message.fault }, partner.id);
      return await this.readReply(partner, request, xml, body, message);
    } catch (error) {
      if (error instanceof ContractsException) throw error; // our configuration, not the partner: never retried
      throw classifySoapError(error, partner.id);
    }
  }

  private async readReply(partner: PartnerConfig, request: Envelope, requestXml: string, body: string, parsed: XRoadMessage): Promise<PartnerReply> {
    let message = parsed;
    let signature: SignatureInfo | undefined;
    if (partner.signature === 'xmldsig') {
      const verified = await this.verifier.verify(body);
      // Read the payload from the very nodes whose digests were verified.
      message = readXRoadMessage(verified.document);
      const signatureElement = verified.document.getElementsByTagNameNS(SoapNamespaces.DS, 'Signature').item(0);
      signature = {
        format: 'xmldsig',
        value: signatureElement ? serializeXml(signatureElement) : '',
        certificate: verified.signer.certificate.toString(),
        keyId: verified.signer.thumbprint,
        verification: 'verified',
      };
    }
    if (message.headers.id !== undefined && message.headers.id !== request.messageId) {
      throw new PartnerException(PartnerErrorCode.REPLY_MALFORMED, `partner ${partner.id} replied to message ${message.headers.id}, not ${request.messageId}`);
    }
    if (message.headers.requestHash !== undefined && message.headers.requestHash !== requestHash(requestXml)) {
      throw new PartnerException(
        PartnerErrorCode.REPLY_SIGNATURE_INVALID,
        `The reply of partner ${partner.id} carries the hash of another request (xrd:requestHash)`,
        { signatureCode: 'XROAD_REQUEST_HASH_MISMATCH' },
      );
    }
    if (message.payload === undefined) throw new PartnerException(PartnerErrorCode.REPLY_MALFORMED, `partner ${partner.id} replied with an empty Body`);
    return { contentType: 'application/xml', payload: message.payload, ...(signature ? { signature } : {}) };
  }
}
