import { Injectable } from '@nestjs/common';
import { OperationConfig, PartnerConfig } from '@korpu/contracts';
import { ContentType, Envelope, SignatureInfo } from '@korpu/envelope';
import { JWS_SIGNATURE_HEADER, JwsSigner, JwsVerifier, isSignatureException } from '@korpu/signature';
import { PartnerErrorCode, PartnerException } from '../partner.exception';
import { PartnerDriver, PartnerReply } from '../partner-client.port';
import { PartnerHttpClients } from '../partner-http-clients';
import { XRoadHeader } from '../xroad-headers';
import { classifyRestError } from './classify-rest-error';

/**
 * Calls a partner's REST API as its partner.json describes: one keep-alive connection pool per
 * partner, bounded by its maxConcurrency, so a slow partner cannot take the sockets of the others.
 */
@Injectable()
export class RestPartnerDriver extends PartnerDriver {

  constructor(
    private readonly signer: JwsSigner,
    private readonly verifier: JwsVerifier,
    private readonly http: PartnerHttpClients,
  ) {
    super();
  }


  async send(partner: PartnerConfig, operation: OperationConfig, request: Envelope): Promise<PartnerReply> {
    const method = operation.method ?? 'POST';
    const target = operation.path ?? '/';
    const signed = partner.signature === 'jws';
    const requestJws = signed ? this.signer.sign(request.payload, { method, path: target, messageId: request.messageId }) : undefined;
    let response;
    try {
      response = await this.http.for(partner).request<string>({
        method,
        url: target,
        data: request.payload,
        headers: {
          ...(requestJws ? { [JWS_SIGNATURE_HEADER]: requestJws } : {}),
          'content-type': request.contentType,
          accept: 'application/json',
          [XRoadHeader.CLIENT]: request.client,
          [XRoadHeader.SERVICE]: partner.xroadService ?? `${partner.id}/${operation.name}`,
          [XRoadHeader.ID]: request.messageId,
          [XRoadHeader.ISSUE]: request.correlationId,
          ...(request.userId ? { [XRoadHeader.USER_ID]: request.userId } : {}),
          [XRoadHeader.MESSAGE_TYPE]: request.messageType,
          [XRoadHeader.SCHEMA_VERSION]: request.schemaVersion,
        },
      });
    } catch (error) {
      throw classifyRestError(error, partner.id);
    }
    const contentType = String(response.headers['content-type'] ?? '');
    const type: ContentType | undefined = contentType.includes('json')
      ? 'application/json'
      : contentType.includes('xml')
        ? 'application/xml'
        : undefined;
    if (!type) {
      throw new PartnerException(PartnerErrorCode.REPLY_MALFORMED, `partner ${partner.id} replied with content type "${contentType}"`);
    }
    const payload = response.data ?? '';
    if (type === 'application/json') {
      try {
        JSON.parse(payload);
      } catch {
        throw new PartnerException(PartnerErrorCode.REPLY_MALFORMED, `partner ${partner.id} replied with malformed JSON`, {
          body: payload.slice(0, 200),
        });
      }
    }
    const version = response.headers[XRoadHeader.SCHEMA_VERSION.toLowerCase()];
    const signature = signed
      ? await this.verifyReply(partner, String(response.headers[JWS_SIGNATURE_HEADER] ?? ''), payload, {
          method,
          path: target,
          messageId: request.messageId,
          status: response.status,
        })
      : undefined;
    return {
      contentType: type,
      payload,
      schemaVersion: typeof version === 'string' ? version : undefined,
      signature,
      requestSignature: requestJws ? { format: 'jws', value: requestJws, verification: 'signed' } : undefined,
    };
  }

  /** A partner that signs must sign every reply: a missing or bad signature is a permanent failure. */
  private async verifyReply(
    partner: PartnerConfig,
    jws: string,
    payload: string,
    binding: { method: string; path: string; messageId: string; status: number },
  ): Promise<SignatureInfo> {
    if (!jws) throw new PartnerException(PartnerErrorCode.REPLY_SIGNATURE_INVALID, `partner ${partner.id} sent an unsigned reply`);
    try {
      const verified = await this.verifier.verify(jws, payload, binding);
      return { format: 'jws', value: jws, certificate: verified.signer.certificate.toString(), keyId: verified.kid, verification: 'verified' };
    } catch (error) {
      if (!isSignatureException(error)) throw error;
      throw new PartnerException(
        PartnerErrorCode.REPLY_SIGNATURE_INVALID,
        `The reply signature of partner ${partner.id} was refused: ${error.message}`,
        { signatureCode: error.code },
        error,
      );
    }
  }
}
