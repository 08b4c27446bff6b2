import { Injectable } from '@nestjs/common';
import { X509Certificate } from 'node:crypto';
import { OperationConfig, PartnerConfig } from '@korpu/contracts';
import { ContentType, Envelope, SignatureInfo } from '@korpu/envelope';
import { SpanKind, traced } from '@korpu/observability';
import { JWS_SIGNATURE_HEADER, JwsBinding, JwsSigner, JwsVerifier, SignatureErrorCode, isSignatureException, jwsRequestHash } from '@korpu/signature';
import { PartnerErrorCode, PartnerException } from '../partner.exception';
import { PartnerDriver, PartnerReply } from '../partner-client.port';
import { PartnerHttpClients } from '../partner-http-clients';
import { refuseUnboundReply, requirePartnerSigner } from '../reply-binding';
import { replySignatureFailure } from '../reply-signature';
import { XRoadHeader } from '../xroad-headers';
import { classifyRestError, classifyRestStatus } from './classify-rest-error';

const SCHEMA_VERSION_HEADER = XRoadHeader.SCHEMA_VERSION.toLowerCase();

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
    const xroadHeaders: Record<string, string> = {
      [XRoadHeader.CLIENT]: request.client,
      [XRoadHeader.SERVICE]: partner.xroadService ?? `${partner.id}/${operation.name}`,
      [XRoadHeader.ID]: request.messageId,
      [XRoadHeader.ISSUE]: request.correlationId,
      ...(request.userId ? { [XRoadHeader.USER_ID]: request.userId } : {}),
      [XRoadHeader.MESSAGE_TYPE]: request.messageType,
      [XRoadHeader.SCHEMA_VERSION]: request.schemaVersion,
    };
    // The JWS covers the X-Road headers and the declared message type and schema version, not the body alone.
    const requestJws = signed
      ? await traced('sign request', SpanKind.INTERNAL, {}, () =>
          this.signer.signAsync(request.payload, { method, path: target, messageId: request.messageId, headers: xroadHeaders }),
        )
      : undefined;
    let response;
    try {
      response = await this.http.send(partner, {
        method,
        path: target,
        body: request.payload,
        headers: {
          ...(requestJws ? { [JWS_SIGNATURE_HEADER]: requestJws } : {}),
          'content-type': request.contentType,
          accept: 'application/json',
          ...xroadHeaders,
        },
      });
    } catch (error) {
      throw classifyRestError(error, partner.id);
    }
    if (response.status < 200 || response.status >= 300) throw classifyRestStatus(response, partner.id);
    const contentType = String(response.headers['content-type'] ?? '');
    const type: ContentType | undefined = contentType.includes('json')
      ? 'application/json'
      : contentType.includes('xml')
        ? 'application/xml'
        : undefined;
    if (!type) {
      throw new PartnerException(PartnerErrorCode.REPLY_MALFORMED, `partner ${partner.id} replied with content type "${contentType}"`);
    }
    const payload = response.body;
    if (type === 'application/json') {
      try {
        JSON.parse(payload);
      } catch {
        throw new PartnerException(PartnerErrorCode.REPLY_MALFORMED, `partner ${partner.id} replied with malformed JSON`, {
          body: payload.slice(0, 200),
        });
      }
    }
    const version = response.headers[SCHEMA_VERSION_HEADER];
    const requestSignature: SignatureInfo | undefined = requestJws ? { format: 'jws', value: requestJws, verification: 'signed' } : undefined;
    const signature = requestJws
      ? await traced('verify reply', SpanKind.INTERNAL, {}, () =>
          this.verifyReply(partner, String(response.headers[JWS_SIGNATURE_HEADER] ?? ''), type, payload, requestSignature, {
            method,
            path: target,
            messageId: request.messageId,
            status: response.status,
            requestHash: jwsRequestHash(requestJws),
          }),
        )
      : undefined;
    return {
      contentType: type,
      payload,
      schemaVersion: typeof version === 'string' ? version : undefined,
      signature,
      requestSignature,
    };
  }

  /**
   * A partner that signs must sign every reply: a missing or bad signature is a permanent failure. The reply's
   * JWS must be bound to this request (method, path, message id, status, and the hash of our request's JWS), and
   * made by one of the partner's `signers`.
   */
  private async verifyReply(
    partner: PartnerConfig,
    jws: string,
    contentType: ContentType,
    payload: string,
    requestSignature: SignatureInfo | undefined,
    binding: JwsBinding,
  ): Promise<SignatureInfo> {
    if (!jws) throw new PartnerException(PartnerErrorCode.REPLY_SIGNATURE_INVALID, `partner ${partner.id} sent an unsigned reply`);
    const refused = { contentType, payload, signature: { format: 'jws' as const, value: jws, verification: 'failed' as const }, requestSignature };
    let verified;
    try {
      verified = await this.verifier.verify(jws, payload, binding);
    } catch (error) {
      if (!isSignatureException(error)) throw error;
      if (error.code === SignatureErrorCode.JWS_BINDING_MISMATCH) {
        // The JWS verified under its x5c[0] key before its binding was compared: that certificate made it (its chain was not checked).
        const certificate = presentedCertificate(jws);
        refuseUnboundReply(partner, (error.details?.mismatches as string[] | undefined) ?? [error.message], {
          ...refused,
          signature: { ...refused.signature, ...(certificate ? { certificate } : {}) },
        });
      }
      throw replySignatureFailure(error, partner.id);
    }
    const signature: SignatureInfo = {
      format: 'jws',
      value: jws,
      certificate: verified.signer.certificate.toString(),
      keyId: verified.kid,
      verification: 'verified',
    };
    requirePartnerSigner(partner, verified.signer.certificate, { ...refused, signature });
    return signature;
  }
}

/** PEM of the first x5c certificate of a compact JWS, if it has a readable one. */
function presentedCertificate(jws: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(jws.split('.')[0], 'base64url').toString('utf8')) as { x5c?: unknown };
    const first = Array.isArray(header.x5c) ? header.x5c[0] : undefined;
    return typeof first === 'string' ? new X509Certificate(Buffer.from(first, 'base64')).toString() : undefined;
  } catch {
    return undefined;
  }
}
