import { Inject, Injectable, Logger } from '@nestjs/common';
import { SignatureInfo, newMessageId } from '@korpu/envelope';
import { isKorpuException } from '@korpu/errors';
import { LogEvent, MessageLog } from '@korpu/message-log';
import { InboundCatalogue, MINISTRY_SERVICE } from '../inbound-catalogue';

/** What is known of a request refused at the door (signature, headers, identity, schema, access). */
export interface InboundRejection {
  /** The caller's id (xrd:id / X-Road-Id), when it could be read. */
  callerMessageId?: string;
  /** The identified client, else the one the message claims. */
  clientId?: string;
  operation?: string;
  /** What was received as it arrived (the SOAP envelope, the REST body, or the payload element). */
  payload?: string;
  contentType?: string;
  /** The partner's signature as far as it could be read; verification `failed` when it was the signature. */
  signature?: SignatureInfo;
  /** Who presented what (subject, issuer, serial), for identity refusals: the TLS client and signer certificates. */
  certificates?: { tls?: string; signer?: string };
  error: unknown;
}

const UNKNOWN = 'unknown';

/**
 * Writes a refused inbound request to the message log as `rejected`, with the error code in detail: it never
 * reached Kafka, but the refusal must be on record. Never throws (the caller answers with the refusal).
 */
@Injectable()
export class RecordInboundRejectionUseCase {
  private readonly logger = new Logger(RecordInboundRejectionUseCase.name);

  constructor(
    private readonly messageLog: MessageLog,
    @Inject(InboundCatalogue) private readonly catalogue: InboundCatalogue,
  ) {}

  async execute(rejection: InboundRejection): Promise<void> {
    const messageId = rejection.callerMessageId || newMessageId();
    const service = rejection.operation ? this.catalogue.find(rejection.operation) : undefined;
    const error = rejection.error;
    const detail = isKorpuException(error)
      ? { code: error.code, message: error.message, status: error.status }
      : { code: 'INTERNAL_ERROR', message: error instanceof Error ? error.message : String(error) };
    const certificates = rejection.certificates && Object.values(rejection.certificates).some(Boolean) ? { certificates: rejection.certificates } : {};
    try {
      await this.messageLog.append({
        event: LogEvent.REJECTED,
        messageId,
        correlationId: messageId,
        direction: 'inbound',
        client: rejection.clientId || UNKNOWN,
        service: `${MINISTRY_SERVICE}/${rejection.operation || UNKNOWN}`,
        messageType: service?.request.type ?? UNKNOWN,
        schemaVersion: service?.request.version ?? UNKNOWN,
        contentType: rejection.contentType,
        payload: rejection.payload,
        signature: rejection.signature && {
          format: rejection.signature.format,
          value: rejection.signature.value,
          certificate: rejection.signature.certificate,
          verification: rejection.signature.verification,
        },
        detail: { ...detail, ...certificates },
      });
    } catch (cause) {
      this.logger.warn(`Rejection of inbound ${messageId} (${detail.code}) not logged: ${String(cause)}`);
    }
  }
}
