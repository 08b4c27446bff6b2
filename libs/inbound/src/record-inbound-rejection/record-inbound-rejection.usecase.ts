import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { SignatureInfo, isValidMessageId, newMessageId } from '@korpu/envelope';
import { isKorpuException } from '@korpu/errors';
import { LogEvent, MessageLog, RefusalLogBudget } from '@korpu/message-log';
import { CounterMetric, MetricsRegistry } from '@korpu/observability';
import { InboundCatalogue, MINISTRY_SERVICE } from '../inbound-catalogue';
import { INBOUND_OPTIONS, InboundOptions } from '../inbound.options';

/** What is known of a request refused at the door (signature, headers, identity, schema, access). */
export interface InboundRejection {
  /** The caller's address (the TCP peer; no proxy header is trusted): refusals are rate-limited per source. */
  source?: string;
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
/** Of a refused body only this much is logged (its size and SHA-256 say what the rest was). */
export const REFUSED_BODY_EXCERPT_BYTES = 256;
/** A signature value or certificate larger than this is not one: it is left out, its size noted. */
const MAX_SIGNATURE_PART_BYTES = 16 * 1024;
/** What is kept of a caller id or claimed client that breaks the rules (for the log line, never as a key). */
const MAX_CLAIM_CHARS = 128;
const MAX_TRACKED_SOURCES = 10_000;
export const DEFAULT_REFUSAL_LOG_PER_MINUTE = 60;

/** The first `maxBytes` of UTF-8 text, never splitting a character. */
function utf8Prefix(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text.slice(0, maxBytes), 'utf8');
  if (bytes.length <= maxBytes) return text.slice(0, maxBytes);
  let end = maxBytes;
  // Step back over continuation bytes (10xxxxxx) to the start of the character that does not fit.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}

const clip = (text: string | undefined) => (text && text.length > MAX_CLAIM_CHARS ? `${text.slice(0, MAX_CLAIM_CHARS)}…` : text);

/**
 * Writes a refused inbound request to the message log as `rejected`, with the error code in detail: it never
 * reached Kafka, but the refusal must be on record. A refusal costs a caller who may not even be authenticated
 * nothing, so what is logged is bounded: the body as its size, SHA-256 and first 256 bytes; at most
 * INBOUND_REFUSAL_LOG_PER_MINUTE records per source address (a token bucket), the rest only counted
 * (`korpu_inbound_refusals_total{code}`, `korpu_inbound_refusals_unlogged_total`). Never throws (the caller
 * answers with the refusal).
 */
@Injectable()
export class RecordInboundRejectionUseCase {
  private readonly logger = new Logger(RecordInboundRejectionUseCase.name);
  private readonly budget: RefusalLogBudget;
  private readonly refusals?: CounterMetric<'code'>;
  private readonly unlogged?: CounterMetric;

  constructor(
    private readonly messageLog: MessageLog,
    @Inject(InboundCatalogue) private readonly catalogue: InboundCatalogue,
    @Inject(INBOUND_OPTIONS) options: InboundOptions,
    @Optional() metrics?: MetricsRegistry,
  ) {
    this.refusals = metrics?.counter({
      name: 'korpu_inbound_refusals_total',
      help: 'Inbound requests refused at the partner endpoint (signature, headers, identity, service, schema, access), by code',
      labelNames: ['code'] as const,
    });
    this.unlogged = metrics?.counter({
      name: 'korpu_inbound_refusals_unlogged_total',
      help: 'Inbound refusals not written to the message log because their source exceeded INBOUND_REFUSAL_LOG_PER_MINUTE',
    });
    this.budget = new RefusalLogBudget({ perMinute: options.refusalLogPerMinute ?? DEFAULT_REFUSAL_LOG_PER_MINUTE, maxSources: MAX_TRACKED_SOURCES });
  }

  async execute(rejection: InboundRejection): Promise<void> {
    const error = rejection.error;
    const detail = isKorpuException(error)
      ? { code: error.code, message: error.message, status: error.status }
      : { code: 'INTERNAL_ERROR', message: error instanceof Error ? error.message : String(error) };
    this.refusals?.inc({ code: detail.code });
    const source = rejection.source ?? UNKNOWN;
    if (!this.budget.take(source)) {
      this.unlogged?.inc({});
      return;
    }
    // A caller's id outside the id rule is no record key (and may be what was refused): a new id, the claim clipped.
    const claimedId = rejection.callerMessageId;
    const messageId = isValidMessageId(claimedId) ? claimedId : newMessageId();
    const service = rejection.operation ? this.catalogue.find(rejection.operation) : undefined;
    const certificates = rejection.certificates && Object.values(rejection.certificates).some(Boolean) ? { certificates: rejection.certificates } : {};
    const body = rejection.payload ?? '';
    const bodyBytes = Buffer.byteLength(body, 'utf8');
    const excerpt = utf8Prefix(body, REFUSED_BODY_EXCERPT_BYTES);
    const { signature, omitted } = this.boundedSignature(rejection.signature);
    try {
      await this.messageLog.append({
        event: LogEvent.REJECTED,
        messageId,
        correlationId: messageId,
        direction: 'inbound',
        client: clip(rejection.clientId) || UNKNOWN,
        service: `${MINISTRY_SERVICE}/${service?.operation ?? clip(rejection.operation) ?? UNKNOWN}`,
        messageType: service?.request.type ?? UNKNOWN,
        schemaVersion: service?.request.version ?? UNKNOWN,
        contentType: rejection.contentType,
        payload: body ? excerpt : undefined,
        signature,
        detail: {
          ...detail,
          source,
          ...(claimedId !== undefined && claimedId !== messageId ? { callerMessageId: clip(claimedId) } : {}),
          ...(body ? { body: { bytes: bodyBytes, sha256: createHash('sha256').update(body, 'utf8').digest('hex'), truncated: excerpt.length < body.length } } : {}),
          ...(omitted ? { signatureOmitted: omitted } : {}),
          ...certificates,
        },
      });
    } catch (cause) {
      this.logger.warn(`Rejection of inbound ${messageId} (${detail.code}) not logged: ${String(cause)}`);
    }
  }

  private boundedSignature(signature: SignatureInfo | undefined): { signature?: SignatureInfo; omitted?: { valueBytes?: number; certificateBytes?: number } } {
    if (!signature) return {};
    const valueBytes = Buffer.byteLength(signature.value ?? '', 'utf8');
    const certificateBytes = Buffer.byteLength(signature.certificate ?? '', 'utf8');
    const valueTooLarge = valueBytes > MAX_SIGNATURE_PART_BYTES;
    const certificateTooLarge = certificateBytes > MAX_SIGNATURE_PART_BYTES;
    return {
      signature: {
        format: signature.format,
        value: valueTooLarge ? '' : signature.value,
        certificate: certificateTooLarge ? undefined : signature.certificate,
        verification: signature.verification,
      },
      ...(valueTooLarge || certificateTooLarge
        ? { omitted: { ...(valueTooLarge ? { valueBytes } : {}), ...(certificateTooLarge ? { certificateBytes } : {}) } }
        : {}),
    };
  }
}
