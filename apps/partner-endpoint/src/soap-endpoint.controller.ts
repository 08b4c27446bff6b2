import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AdmitSoapRequestCommand, AdmitSoapRequestUseCase, InboundErrorCode, InboundException, peerAddressOf, tlsPeerOf } from '@korpu/inbound';
import { ReplyLike, RequestLike, sendAnswer } from './inbound-answer';
import { MinistryWsdlRepository } from './ministry-wsdl.repository';
import type { PartnerEndpointConfig } from './partner-endpoint.config';
import { PARTNER_ENDPOINT_CONFIG } from './partner-endpoint.tokens';

/**
 * The ministry's services over SOAP 1.1 + X-Road 4.0 (public: authenticated by signature and, where
 * configured, mutual TLS); the WSDL at ?wsdl. Every error is a SOAP Fault (PartnerEndpointErrorFilter, set for the
 * whole app, so that refusals of the HTTP layer before this controller runs are SOAP Faults too). Admission, logging, idempotency and
 * the signed reply: AdmitSoapRequestUseCase.
 */
@ApiExcludeController()
@Controller('soap')
export class SoapEndpointController {
  constructor(
    private readonly admit: AdmitSoapRequestUseCase,
    private readonly wsdl: MinistryWsdlRepository,
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
    const command = AdmitSoapRequestCommand.create({ body, headers: request.headers, tls: tlsPeerOf(request.raw.socket), source: peerAddressOf(request.raw.socket) });
    sendAnswer(reply, await this.admit.execute(command));
  }
}
