import { Body, Controller, Headers, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { deprecationHeaders } from '@korpu/platform';
import { declaredSchemaVersion } from './declared-schema-version';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SignatureInfo } from '@korpu/envelope';
import { HandleInboundRequestUseCase, InboundCatalogue, InboundErrorCode, InboundException, RecordInboundRejectionUseCase } from '@korpu/inbound';
import { JWS_SIGNATURE_HEADER, JwsSigner, JwsVerifier, KeyRing, SignatureErrorCode, SignatureException, isSignatureException } from '@korpu/signature';
import { XRoadErrorCode, XRoadException } from '@korpu/xroad';
import { ClientIdentityService } from './client-identity.service';
import type { PartnerEndpointConfig } from './partner-endpoint.config';
import { PARTNER_ENDPOINT_CONFIG } from './partner-endpoint.tokens';
import { jwsCertificateOf } from './signature-evidence';
import { tlsClientCertificate } from './tls-peer';

interface RequestLike {
  url: string;
  headers: Record<string, string | string[] | undefined>;
  raw: { socket: unknown };
}

interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): unknown;
}

/**
 * The same services for partners that prefer REST: POST the request payload (application/xml) with
 * X-Road-Client, X-Road-Id and a detached JWS (X-Korpu-Signature) bound to method, path and id; the reply
 * payload comes back signed the same way. Errors are problem+json with a stable code. A request refused at
 * the door is logged as `rejected`, the reply as `reply-sent` with our signature; a retry of the same
 * X-Road-Id gets the first reply.
 */
@ApiTags('ministry services (REST)')
@Controller('rest/v1')
export class RestEndpointController {
  constructor(
    private readonly verifier: JwsVerifier,
    private readonly signer: JwsSigner,
    private readonly keys: KeyRing,
    private readonly identity: ClientIdentityService,
    private readonly inbound: HandleInboundRequestUseCase,
    private readonly rejections: RecordInboundRejectionUseCase,
    @Inject(InboundCatalogue) private readonly catalogue: InboundCatalogue,
    @Inject(PARTNER_ENDPOINT_CONFIG) private readonly config: PartnerEndpointConfig,
  ) {}

  @Post(':operation')
  @ApiOperation({ summary: 'Call a ministry service with an XML payload; answered with the signed reply payload' })
  @ApiHeader({ name: 'X-Road-Client', required: true })
  @ApiHeader({ name: 'X-Road-Id', required: true })
  @ApiHeader({ name: JWS_SIGNATURE_HEADER, required: true, description: 'Detached JWS (b64:false) over the body' })
  async call(
    @Param('operation') operation: string,
    @Body() body: unknown,
    @Headers('x-road-client') claimed: string | undefined,
    @Headers('x-road-id') messageId: string | undefined,
    @Headers('x-road-userid') userId: string | undefined,
    @Headers(JWS_SIGNATURE_HEADER) jws: string | undefined,
    @Req() request: RequestLike,
    @Res() reply: ReplyLike,
  ): Promise<void> {
    let signature: SignatureInfo | undefined;
    let clientId: string;
    try {
      const service = this.catalogue.get(operation);
      if (service.restPath !== request.url.split('?')[0]) throw new InboundException(InboundErrorCode.SERVICE_UNKNOWN, `No REST service at ${request.url}`);
      if (typeof body !== 'string' || body.length === 0) throw new XRoadException(XRoadErrorCode.BODY_INVALID, 'POST the request payload as application/xml');
      if (!messageId) throw new XRoadException(XRoadErrorCode.HEADER_INVALID, 'X-Road-Id is required');
      if (!jws) throw new SignatureException(SignatureErrorCode.MISSING, `The ${JWS_SIGNATURE_HEADER} header is required`);
      const tlsCertificate = tlsClientCertificate(request.raw.socket);
      const verified = await this.verifier.verify(jws, body, { method: 'POST', path: request.url, messageId });
      signature = { format: 'jws', value: jws, certificate: verified.signer.certificate.toString(), verification: 'verified' };
      clientId = this.identity.identify({ tlsCertificate, signer: verified.signer.certificate, claimed });
    } catch (error) {
      await this.rejections.execute({
        callerMessageId: messageId,
        clientId: claimed,
        operation,
        payload: typeof body === 'string' && body ? body : undefined,
        contentType: 'application/xml',
        signature:
          signature ??
          (isSignatureException(error) ? { format: 'jws', value: jws ?? '', certificate: jws ? jwsCertificateOf(jws) : undefined, verification: 'failed' } : undefined),
        error,
      });
      throw error;
    }
    const result = await this.inbound.execute(
      { clientId, operation, payload: body as string, userId, callerMessageId: messageId, signature, schemaVersion: declaredSchemaVersion(request.headers) },
      this.config.replyTimeoutMs,
    );
    // A retry of the same X-Road-Id gets the first reply, signed anew for this request.
    const replySignature = this.signer.sign(result.reply.payload, { method: 'POST', path: request.url, messageId: messageId!, status: 200 });
    await this.inbound.recordReplySent(result, { format: 'jws', value: replySignature, certificate: this.keys.resolve().certificate.toString() });
    for (const [name, value] of Object.entries(deprecationHeaders(result.warnings))) reply.header(name, value);
    reply
      .status(200)
      .header('content-type', 'application/xml')
      .header(JWS_SIGNATURE_HEADER, replySignature)
      .header('x-korpu-schema-version', result.reply.schemaVersion)
      .send(result.reply.payload);
  }
}
