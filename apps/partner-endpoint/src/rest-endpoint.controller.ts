import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdmitRestRequestCommand, AdmitRestRequestUseCase, peerAddressOf, tlsPeerOf } from '@korpu/inbound';
import { JWS_SIGNATURE_HEADER } from '@korpu/signature';
import { ReplyLike, RequestLike, sendAnswer } from './inbound-answer';

/**
 * The same services for partners that prefer REST: POST the request payload (application/xml) with
 * X-Road-Client, X-Road-Id and a detached JWS (X-Korpu-Signature) over the body, method, path and every X-Road
 * and schema header; the reply payload comes back signed the same way. Errors are problem+json with a stable
 * code. Admission, logging and idempotency: AdmitRestRequestUseCase.
 */
@ApiTags('ministry services (REST)')
@Controller('rest/v1')
export class RestEndpointController {
  constructor(private readonly admit: AdmitRestRequestUseCase) {}

  @Post(':operation')
  @ApiOperation({ summary: 'Call a ministry service with an XML payload; answered with the signed reply payload' })
  @ApiHeader({ name: 'X-Road-Client', required: true })
  @ApiHeader({ name: 'X-Road-Id', required: true })
  @ApiHeader({ name: JWS_SIGNATURE_HEADER, required: true, description: 'Detached JWS (b64:false) over the body and the X-Road headers' })
  async call(@Param('operation') operation: string, @Body() body: unknown, @Req() request: RequestLike, @Res() reply: ReplyLike): Promise<void> {
    const command = AdmitRestRequestCommand.create({
      operation,
      target: request.url,
      body,
      headers: request.headers,
      tls: tlsPeerOf(request.raw.socket),
      source: peerAddressOf(request.raw.socket),
    });
    sendAnswer(reply, await this.admit.execute(command));
  }
}
