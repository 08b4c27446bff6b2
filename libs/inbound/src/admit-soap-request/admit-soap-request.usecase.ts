import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { MESSAGE_ID_RULE, isValidMessageId } from '@korpu/envelope';
import { describeCertificate, KeyRing, SoapSigner, SoapVerifier, isSignatureException } from '@korpu/signature';
import { XRoadErrorCode, XRoadException, buildXRoadMessage, clientIdOf, formatXRoadId, readXRoadMessage, requestHash, requireRequestHeaders } from '@korpu/xroad';
import { CallerIdentityService } from '../admission/caller-identity.service';
import { InboundMetaservices, soapAnswerBody } from '../admission/inbound-metaservices.port';
import { InboundAnswer, VerifiedSignature, admitOrRecordRefusal } from '../admission/inbound-admission';
import { declaredSchemaVersion, soapRequestEvidence, xmlSignatureOf, xmlSignatureOfText } from '../admission/request-evidence';
import { HandleInboundRequestUseCase } from '../handle-inbound-request/handle-inbound-request.usecase';
import { InboundCatalogue, MINISTRY_SERVICE } from '../inbound-catalogue';
import { InboundErrorCode, InboundException } from '../inbound.exception';
import { INBOUND_OPTIONS, InboundOptions } from '../inbound.options';
import { RecordInboundRejectionUseCase } from '../record-inbound-rejection/record-inbound-rejection.usecase';
import { AdmitSoapRequestCommand } from './admit-soap-request.command';

/**
 * A partner's SOAP 1.1 + X-Road 4.0 call: the admission steps (see inbound-admission.ts) — the WS-Security
 * signature, the X-Road headers it covers, the caller's identity, a service of this ministry — then the inbound
 * request itself, and the owner's reply signed and bound to this request (xrd:requestHash).
 */
@Injectable()
export class AdmitSoapRequestUseCase {
  constructor(
    private readonly verifier: SoapVerifier,
    private readonly signer: SoapSigner,
    private readonly keys: KeyRing,
    private readonly identity: CallerIdentityService,
    private readonly inbound: HandleInboundRequestUseCase,
    private readonly rejections: RecordInboundRejectionUseCase,
    @Inject(InboundCatalogue) private readonly catalogue: InboundCatalogue,
    @Inject(INBOUND_OPTIONS) private readonly options: InboundOptions,
    @Optional() private readonly metaservices?: InboundMetaservices,
  ) {}

  async execute(command: AdmitSoapRequestCommand): Promise<InboundAnswer> {
    const receivedAt = Date.now();
    let signature: VerifiedSignature | undefined;
    let signer: string | undefined;
    const admitted = await admitOrRecordRefusal(
      this.rejections,
      (error) => ({
        source: command.source,
        ...soapRequestEvidence(command.body, signature ? undefined : isSignatureException(error) ? 'failed' : undefined),
        ...(signature ? { signature } : {}),
        payload: command.body || undefined,
        contentType: 'text/xml',
        certificates: { tls: command.tls && describeCertificate(command.tls.certificate), signer },
      }),
      async () => {
        // 1. signature
        if (!command.body) throw new XRoadException(XRoadErrorCode.MESSAGE_MALFORMED, 'POST a SOAP 1.1 envelope as text/xml');
        const verified = await this.verifier.verify(command.body);
        signature = { format: 'xmldsig', value: xmlSignatureOf(verified.document) ?? '', certificate: verified.signer.certificate.toString(), verification: 'verified' };
        signer = describeCertificate(verified.signer.certificate);
        // 2. X-Road headers
        const message = readXRoadMessage(verified.document);
        const headers = requireRequestHeaders(message.headers);
        if (!isValidMessageId(headers.id)) throw new InboundException(InboundErrorCode.MESSAGE_ID_INVALID, `xrd:id must be ${MESSAGE_ID_RULE}`);
        // 3. identity
        const clientId = this.identity.identify({ tls: command.tls, signer: verified.signer.certificate, declared: clientIdOf(headers.client) });
        // 4. a metaservice (answered here, signed like every reply) or a service
        if (this.metaservices?.isMetaservice(headers.service.serviceCode)) {
          return { kind: 'metaservice' as const, headers, metaservice: await this.metaservices.answerSoap({ clientId, service: headers.service, payload: message.payload as string }) };
        }
        const service = this.catalogue.get(headers.service.serviceCode);
        const { xRoadInstance, memberClass, memberCode, subsystemCode } = headers.service;
        if (formatXRoadId({ xRoadInstance, memberClass, memberCode }) !== formatXRoadId(this.catalogue.xroadMember) || subsystemCode !== service.owner) {
          throw new InboundException(InboundErrorCode.SERVICE_UNKNOWN, `${formatXRoadId(headers.service)}/${headers.service.serviceCode} is not a service of this ministry`);
        }
        return { kind: 'service' as const, clientId, headers, service, payload: message.payload as string, signature };
      },
    );
    if (admitted.kind === 'metaservice') {
      const signed = this.signer.sign(buildXRoadMessage({ ...admitted.headers, requestHash: requestHash(command.body) }, admitted.metaservice.payload));
      const { contentType, body } = soapAnswerBody(signed, admitted.metaservice.attachment, `korpu-${randomUUID()}`);
      return { contentType, headers: {}, body, warnings: [] };
    }
    const result = await this.inbound.execute(
      {
        clientId: admitted.clientId,
        operation: admitted.service.operation,
        payload: admitted.payload,
        userId: admitted.headers.userId,
        callerMessageId: admitted.headers.id,
        signature: admitted.signature,
        schemaVersion: declaredSchemaVersion(command.headers),
        source: command.source,
        receivedAt,
      },
      this.options.replyTimeoutMs ?? 10000,
    );
    // A retry of the same xrd:id gets the first reply, signed anew and bound to this request.
    const signed = this.signer.sign(buildXRoadMessage({ ...admitted.headers, requestHash: requestHash(command.body) }, result.reply.payload));
    await this.inbound.recordReplySent(result, { format: 'xmldsig', value: xmlSignatureOfText(signed), certificate: this.keys.resolve().certificate.toString() });
    return { contentType: 'text/xml; charset=utf-8', headers: {}, body: signed, warnings: result.warnings, service: `${MINISTRY_SERVICE}/${admitted.service.operation}` };
  }
}
