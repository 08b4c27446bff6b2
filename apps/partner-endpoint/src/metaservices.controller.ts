import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdmitRestRequestCommand, AdmitRestRequestUseCase, peerAddressOf, tlsPeerOf } from '@korpu/inbound';
import { JWS_SIGNATURE_HEADER } from '@korpu/signature';
import { ReplyLike, RequestLike, sendAnswer } from './inbound-answer';

/**
 * X-Road's metaservices over REST (Service Metadata Protocol for REST) for partners: a GET signed like every call
 * (detached JWS over the empty body, GET, the target and the X-Road headers; X-Road-Client, X-Road-Id), answered
 * in X-Road's JSON shapes and signed. The SOAP metaservices go to /soap like every SOAP call.
 */
@ApiTags('metaservices (REST)')
@ApiHeader({ name: 'X-Road-Client', required: true })
@ApiHeader({ name: 'X-Road-Id', required: true })
@ApiHeader({ name: JWS_SIGNATURE_HEADER, required: true, description: 'Detached JWS (b64:false) over the empty body, GET, the target and the X-Road headers' })
@Controller('r1')
export class MetaservicesController {
  constructor(private readonly admit: AdmitRestRequestUseCase) {}

  @Get('listClients')
  @ApiOperation({ summary: 'listClients: the X-Road subsystems known here' })
  listClients(@Req() request: RequestLike, @Res() reply: ReplyLike): Promise<void> {
    return this.answer('listClients', request, reply);
  }

  @Get(':xRoadInstance/:memberClass/:memberCode/:subsystemCode/:metaservice')
  @ApiOperation({ summary: 'listMethods, allowedMethods, getOpenAPI?serviceCode= of a ministry subsystem (e.g. AZ/GOV/1400000003/pensions)' })
  ofProvider(@Param('metaservice') metaservice: string, @Req() request: RequestLike, @Res() reply: ReplyLike): Promise<void> {
    return this.answer(metaservice, request, reply);
  }

  private async answer(operation: string, request: RequestLike, reply: ReplyLike): Promise<void> {
    const command = AdmitRestRequestCommand.create({
      operation,
      target: request.url,
      body: '',
      headers: request.headers,
      tls: tlsPeerOf(request.raw.socket),
      source: peerAddressOf(request.raw.socket),
    });
    sendAnswer(reply, await this.admit.executeMetaservice(command));
  }
}
