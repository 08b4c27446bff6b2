import { Inject, Injectable, Optional } from '@nestjs/common';
import { MESSAGE_ID_RULE, isValidMessageId } from '@korpu/envelope';
import {
  JWS_SIGNATURE_HEADER,
  JwsSigner,
  JwsVerifier,
  KeyRing,
  SignatureErrorCode,
  SignatureException,
  describeCertificate,
  isSignatureException,
  jwsRequestHash,
} from '@korpu/signature';
import { XRoadErrorCode, XRoadException } from '@korpu/xroad';
import { CallerIdentityService } from '../admission/caller-identity.service';
import { InboundAnswer, VerifiedSignature, admitOrRecordRefusal } from '../admission/inbound-admission';
import { InboundMetaservices } from '../admission/inbound-metaservices.port';
import { declaredSchemaVersion, headerValue, jwsCertificateOf } from '../admission/request-evidence';
import { HandleInboundRequestUseCase } from '../handle-inbound-request/handle-inbound-request.usecase';
import { InboundCallbackHeader as Header } from '../inbound-callback-header';
import { InboundCatalogue, MINISTRY_SERVICE } from '../inbound-catalogue';
import { InboundErrorCode, InboundException } from '../inbound.exception';
import { INBOUND_OPTIONS, InboundOptions } from '../inbound.options';
import { RecordInboundRejectionUseCase } from '../record-inbound-rejection/record-inbound-rejection.usecase';
import { AdmitRestRequestCommand } from './admit-rest-request.command';

/**
 * A partner's REST call (the payload as application/xml, X-Road-Client / X-Road-Id / X-Road-UserId headers, a
 * detached JWS in X-Korpu-Signature): the admission steps (see inbound-admission.ts) — the JWS over the body,
 * method, target and every X-Road and schema header, those headers, the caller's identity, a service of this
 * ministry at this path — then the inbound request itself, and the owner's reply signed for this request.
 */
@Injectable()
export class AdmitRestRequestUseCase {
  constructor(
    private readonly verifier: JwsVerifier,
    private readonly signer: JwsSigner,
    private readonly keys: KeyRing,
    private readonly identity: CallerIdentityService,
    private readonly inbound: HandleInboundRequestUseCase,
    private readonly rejections: RecordInboundRejectionUseCase,
    @Inject(InboundCatalogue) private readonly catalogue: InboundCatalogue,
    @Inject(INBOUND_OPTIONS) private readonly options: InboundOptions,
    @Optional() private readonly metaservices?: InboundMetaservices,
  ) {}

  async execute(command: AdmitRestRequestCommand): Promise<InboundAnswer> {
    const receivedAt = Date.now();
    const admitted = await this.admit(command, 'POST', () => {
      // 4. service
      const service = this.catalogue.get(command.operation);
      if (service.restPath !== command.target.split('?')[0]) throw new InboundException(InboundErrorCode.SERVICE_UNKNOWN, `No REST service at ${command.target}`);
      return Promise.resolve(service);
    });
    const result = await this.inbound.execute(
      {
        clientId: admitted.clientId,
        operation: admitted.outcome.operation,
        payload: command.body,
        userId: headerValue(command.headers, Header.USER_ID),
        callerMessageId: admitted.messageId,
        signature: admitted.signature,
        schemaVersion: declaredSchemaVersion(command.headers),
        source: command.source,
        receivedAt,
      },
      this.options.replyTimeoutMs ?? 10000,
    );
    // A retry of the same X-Road-Id gets the first reply, signed anew for this request (and its schema version header).
    const headers = { [Header.SCHEMA_VERSION.toLowerCase()]: result.reply.schemaVersion };
    const replySignature = this.signer.sign(result.reply.payload, {
      method: 'POST',
      path: command.target,
      messageId: admitted.messageId,
      status: 200,
      headers,
      requestHash: jwsRequestHash(admitted.jws),
    });
    await this.inbound.recordReplySent(result, { format: 'jws', value: replySignature, certificate: this.keys.resolve().certificate.toString() });
    return { contentType: 'application/xml', headers: { ...headers, [JWS_SIGNATURE_HEADER]: replySignature }, body: result.reply.payload, warnings: result.warnings, service: `${MINISTRY_SERVICE}/${admitted.outcome.operation}` };
  }

  /**
   * A metaservice over REST (X-Road's `GET /r1/{provider}/listMethods` and the like): admitted like every call
   * — the JWS over the (empty) body, GET, the target and the X-Road headers; the caller's identity — then answered
   * by the metaservices and signed like every reply.
   */
  async executeMetaservice(command: AdmitRestRequestCommand): Promise<InboundAnswer> {
    const metaservices = this.metaservices;
    if (!metaservices) throw new InboundException(InboundErrorCode.SERVICE_UNKNOWN, `No REST service at ${command.target}`);
    const admitted = await this.admit(command, 'GET', (clientId) => metaservices.answerRest({ clientId, target: command.target }));
    const replySignature = this.signer.sign(admitted.outcome.body, {
      method: 'GET',
      path: command.target,
      messageId: admitted.messageId,
      status: 200,
      headers: {},
      requestHash: jwsRequestHash(admitted.jws),
    });
    return { contentType: admitted.outcome.contentType, headers: { [JWS_SIGNATURE_HEADER]: replySignature }, body: admitted.outcome.body, warnings: [] };
  }

  /** Admission steps 1–3 (signature, X-Road headers, identity), then `step4` for the caller; a refusal at any is recorded. */
  private async admit<T>(command: AdmitRestRequestCommand, method: 'GET' | 'POST', step4: (clientId: string) => Promise<T>) {
    const messageId = headerValue(command.headers, Header.ID);
    const declared = headerValue(command.headers, Header.CLIENT);
    const jws = headerValue(command.headers, JWS_SIGNATURE_HEADER);
    let signature: VerifiedSignature | undefined;
    let signer: string | undefined;
    return admitOrRecordRefusal(
      this.rejections,
      (error) => ({
        source: command.source,
        callerMessageId: messageId,
        clientId: declared,
        operation: command.operation,
        payload: command.body || undefined,
        contentType: 'application/xml',
        signature:
          signature ?? (isSignatureException(error) ? { format: 'jws', value: jws ?? '', certificate: jws ? jwsCertificateOf(jws) : undefined, verification: 'failed' } : undefined),
        certificates: { tls: command.tls && describeCertificate(command.tls.certificate), signer },
      }),
      async () => {
        // 1. signature
        if (method === 'POST' && !command.body) throw new XRoadException(XRoadErrorCode.BODY_INVALID, 'POST the request payload as application/xml');
        if (!messageId) throw new XRoadException(XRoadErrorCode.HEADER_INVALID, `${Header.ID} is required`);
        if (!isValidMessageId(messageId)) throw new InboundException(InboundErrorCode.MESSAGE_ID_INVALID, `${Header.ID} must be ${MESSAGE_ID_RULE}`);
        if (!jws) throw new SignatureException(SignatureErrorCode.MISSING, `The ${JWS_SIGNATURE_HEADER} header is required`);
        const verified = await this.verifier.verify(jws, command.body, { method, path: command.target, messageId, headers: command.headers });
        signature = { format: 'jws', value: jws, certificate: verified.signer.certificate.toString(), verification: 'verified' };
        signer = describeCertificate(verified.signer.certificate);
        // 2. X-Road headers (covered by the JWS)
        if (!declared) throw new XRoadException(XRoadErrorCode.HEADER_INVALID, `${Header.CLIENT} is required`);
        // 3. identity
        const clientId = this.identity.identify({ tls: command.tls, signer: verified.signer.certificate, declared });
        return { clientId, messageId, jws, signature, outcome: await step4(clientId) };
      },
    );
  }
}
