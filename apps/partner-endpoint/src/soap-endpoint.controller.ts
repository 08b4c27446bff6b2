import { Body, Controller, Get, Inject, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { deprecationHeaders } from '@korpu/platform';
import { declaredSchemaVersion } from './declared-schema-version';
import { ApiExcludeController } from '@nestjs/swagger';
import type { SignatureInfo } from '@korpu/envelope';
import {
  HandleInboundRequestUseCase,
  InboundCatalogue,
  InboundErrorCode,
  InboundException,
  InboundService,
  RecordInboundRejectionUseCase,
} from '@korpu/inbound';
import { KeyRing, SoapSigner, SoapVerifier, isSignatureException } from '@korpu/signature';
import {
  XRoadErrorCode,
  XRoadException,
  XRoadHeaders,
  buildXRoadMessage,
  clientIdOf,
  formatXRoadId,
  readXRoadMessage,
  requestHash,
  requireRequestHeaders,
} from '@korpu/xroad';
import { ClientIdentityService } from './client-identity.service';
import { MinistryWsdlRepository } from './ministry-wsdl.repository';
import type { PartnerEndpointConfig } from './partner-endpoint.config';
import { PARTNER_ENDPOINT_CONFIG } from './partner-endpoint.tokens';
import { soapRequestEvidence, xmlSignatureOf, xmlSignatureOfText } from './signature-evidence';
import { SoapFaultFilter } from './soap-fault.filter';
import { tlsClientCertificate } from './tls-peer';

interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  protocol?: string;
  raw: { socket: unknown };
}

interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): unknown;
}

/** A SOAP request that passed the door: signature, X-Road headers, identity, a service of this ministry. */
interface AdmittedSoapRequest {
  body: string;
  clientId: string;
  headers: XRoadHeaders;
  service: InboundService;
  payload: string;
  signature: SignatureInfo;
}

/**
 * The ministry's services over SOAP 1.1 + X-Road 4.0 (public: authenticated by signature and, where
 * configured, mutual TLS). Order: signature, headers, identity, then the inbound use case (schema, access,
 * Kafka, the owner's reply); the reply is signed and carries xrd:requestHash. Every error is a SOAP Fault;
 * a request refused at the door is logged as `rejected`, the reply as `reply-sent` with our signature.
 */
@ApiExcludeController()
@UseFilters(SoapFaultFilter)
@Controller('soap')
export class SoapEndpointController {
  constructor(
    private readonly verifier: SoapVerifier,
    private readonly signer: SoapSigner,
    private readonly keys: KeyRing,
    private readonly identity: ClientIdentityService,
    private readonly inbound: HandleInboundRequestUseCase,
    private readonly rejections: RecordInboundRejectionUseCase,
    private readonly wsdl: MinistryWsdlRepository,
    @Inject(InboundCatalogue) private readonly catalogue: InboundCatalogue,
    @Inject(PARTNER_ENDPOINT_CONFIG) private readonly config: PartnerEndpointConfig,
  ) {}

  @Get()
  describe(@Query() query: Record<string, string>, @Req() request: RequestLike, @Res() reply: ReplyLike): void {
    if (!('wsdl' in query)) throw new InboundException(InboundErrorCode.SERVICE_UNKNOWN, 'GET /soap?wsdl serves the WSDL; calls are POSTed');
    const scheme = this.config.tls.mode === 'off' ? 'http' : 'https';
    reply.status(200).header('content-type', 'text/xml; charset=utf-8').send(this.wsdl.document(`${scheme}://${String(request.headers.host)}/soap`));
  }

  @Post()
  async call(@Body() body: unknown, @Req() request: RequestLike, @Res() reply: ReplyLike): Promise<void> {
    const admitted = await this.admit(body, request);
    const result = await this.inbound.execute(
      {
        clientId: admitted.clientId,
        operation: admitted.service.operation,
        payload: admitted.payload,
        userId: admitted.headers.userId,
        callerMessageId: admitted.headers.id,
        signature: admitted.signature,
        schemaVersion: declaredSchemaVersion(request.headers),
      },
      this.config.replyTimeoutMs,
    );
    // A retry of the same xrd:id gets the first reply, signed anew and bound to this request.
    const signed = this.signer.sign(buildXRoadMessage({ ...admitted.headers, requestHash: requestHash(admitted.body) }, result.reply.payload));
    await this.inbound.recordReplySent(result, { format: 'xmldsig', value: xmlSignatureOfText(signed), certificate: this.keys.resolve().certificate.toString() });
    for (const [name, value] of Object.entries(deprecationHeaders(result.warnings))) reply.header(name, value);
    reply.status(200).header('content-type', 'text/xml; charset=utf-8').send(signed);
  }

  /** The door: everything refused here is logged as `rejected` (with the signature as far as it was read). */
  private async admit(body: unknown, request: RequestLike): Promise<AdmittedSoapRequest> {
    let signature: SignatureInfo | undefined;
    try {
      if (typeof body !== 'string' || body.length === 0) {
        throw new XRoadException(XRoadErrorCode.MESSAGE_MALFORMED, 'POST a SOAP 1.1 envelope as text/xml');
      }
      const tlsCertificate = tlsClientCertificate(request.raw.socket);
      const verified = await this.verifier.verify(body);
      signature = {
        format: 'xmldsig',
        value: xmlSignatureOf(verified.document) ?? '',
        certificate: verified.signer.certificate.toString(),
        verification: 'verified',
      };
      const message = readXRoadMessage(verified.document);
      const headers = requireRequestHeaders(message.headers);
      const clientId = this.identity.identify({ tlsCertificate, signer: verified.signer.certificate, claimed: clientIdOf(headers.client) });
      const service = this.catalogue.get(headers.service.serviceCode);
      const { xRoadInstance, memberClass, memberCode, subsystemCode } = headers.service;
      if (formatXRoadId({ xRoadInstance, memberClass, memberCode }) !== formatXRoadId(this.catalogue.xroadMember) || subsystemCode !== service.owner) {
        throw new InboundException(InboundErrorCode.SERVICE_UNKNOWN, `${formatXRoadId(headers.service)}/${headers.service.serviceCode} is not a service of this ministry`);
      }
      return { body, clientId, headers, service, payload: message.payload as string, signature };
    } catch (error) {
      const text = typeof body === 'string' ? body : '';
      const evidence = soapRequestEvidence(text, signature ? undefined : isSignatureException(error) ? 'failed' : undefined);
      await this.rejections.execute({
        ...evidence,
        ...(signature ? { signature } : {}),
        payload: text || undefined,
        contentType: 'text/xml',
        error,
      });
      throw error;
    }
  }
}
