import { Body, Controller, Get, Inject, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HandleInboundRequestUseCase, InboundCatalogue, InboundErrorCode, InboundException } from '@korpu/inbound';
import { SoapSigner, SoapVerifier } from '@korpu/signature';
import {
  XRoadErrorCode,
  XRoadException,
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

/**
 * The ministry's services over SOAP 1.1 + X-Road 4.0 (public: authenticated by signature and, where
 * configured, mutual TLS). Order: signature, headers, identity, then the inbound use case (schema, access,
 * Kafka, the owner's reply); the reply is signed and carries xrd:requestHash. Every error is a SOAP Fault.
 */
@ApiExcludeController()
@UseFilters(SoapFaultFilter)
@Controller('soap')
export class SoapEndpointController {
  constructor(
    private readonly verifier: SoapVerifier,
    private readonly signer: SoapSigner,
    private readonly identity: ClientIdentityService,
    private readonly inbound: HandleInboundRequestUseCase,
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
    if (typeof body !== 'string' || body.length === 0) {
      throw new XRoadException(XRoadErrorCode.MESSAGE_MALFORMED, 'POST a SOAP 1.1 envelope as text/xml');
    }
    const tlsCertificate = tlsClientCertificate(request.raw.socket);
    const verified = await this.verifier.verify(body);
    const message = readXRoadMessage(verified.document);
    const headers = requireRequestHeaders(message.headers);
    const clientId = this.identity.identify({ tlsCertificate, signer: verified.signer.certificate, claimed: clientIdOf(headers.client) });
    const service = this.catalogue.get(headers.service.serviceCode);
    const { xRoadInstance, memberClass, memberCode, subsystemCode } = headers.service;
    if (formatXRoadId({ xRoadInstance, memberClass, memberCode }) !== formatXRoadId(this.catalogue.xroadMember) || subsystemCode !== service.owner) {
      throw new InboundException(InboundErrorCode.SERVICE_UNKNOWN, `${formatXRoadId(headers.service)}/${headers.service.serviceCode} is not a service of this ministry`);
    }
    const result = await this.inbound.execute(
      {
        clientId,
        operation: service.operation,
        payload: message.payload as string,
        userId: headers.userId,
        callerMessageId: headers.id,
        signature: { format: 'xmldsig', value: '', certificate: verified.signer.certificate.toString(), verification: 'verified' },
      },
      this.config.replyTimeoutMs,
    );
    const signed = this.signer.sign(buildXRoadMessage({ ...headers, requestHash: requestHash(body) }, result.reply.payload));
    reply.status(200).header('content-type', 'text/xml; charset=utf-8').send(signed);
  }
}
