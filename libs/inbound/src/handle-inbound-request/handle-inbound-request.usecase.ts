import { ReplyWaiter } from '@korpu/envelope';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { AccessControlService } from '@korpu/access';
import { Envelope, EnvelopeCodec, SignatureInfo, createEnvelope, createReply, newMessageId, serviceId } from '@korpu/envelope';
import { DELIVERY_FAILURE_TYPE, DELIVERY_FAILURE_VERSION, DeliveryFailure } from '@korpu/exchange';
import { LogEvent, MessageLog, logEntryFromEnvelope } from '@korpu/message-log';
import { MessageProducer, TopicNames } from '@korpu/messaging';
import { traceDetail } from '@korpu/observability';
import { ExchangeHops, OperationalRecorder, OperationalResult, payloadSize, replySignerOf } from '@korpu/operational-monitoring';
import { isFinalRefusal, isKorpuException } from '@korpu/errors';
import { SchemaRegistry } from '@korpu/schemas';
import { MessageRecord, MessageStatus, MessageStatusRepository } from '@korpu/tracking';
import { INBOUND_CALLBACKS, InboundCallbacks } from '../deliver-to-callback/deliver-to-callback.usecase';
import { InboundCatalogue, InboundService, MINISTRY_SERVICE } from '../inbound-catalogue';
import { InboundErrorCode, InboundException } from '../inbound.exception';
import { RecordInboundRejectionUseCase } from '../record-inbound-rejection/record-inbound-rejection.usecase';

export interface InboundRequest {
  /** The authenticated client (from mutual TLS or the signer's certificate). */
  clientId: string;
  operation: string;
  /** The payload element as XML. */
  payload: string;
  userId?: string;
  /** The caller's own id (xrd:id / X-Road-Id): the request's message id, so a retry of it is recognised. */
  callerMessageId?: string;
  signature?: SignatureInfo;
  /** The request schema version the caller declares (X-Korpu-Schema-Version); default: the service's current one. */
  schemaVersion?: string;
  /** The caller's address, for the refusal log's rate limit. */
  source?: string;
  /** When the endpoint received the request (ms since epoch): the operational record's requestInAt. */
  receivedAt?: number;
}

export interface InboundResult {
  request: Envelope;
  reply: Envelope;
  service: InboundService;
  warnings: string[];
  /** The caller's id was seen before: this is the first request's reply, and nothing was queued again. */
  duplicate: boolean;
  /** The hops so far of a first request, completed into its operational record when the answer leaves. */
  hops?: ExchangeHops;
}

/** What the endpoint signed the reply with (our signature), for the message log. */
export type ReplySignature = Pick<SignatureInfo, 'format' | 'value' | 'certificate' | 'keyId'>;

/**
 * A partner's request to the ministry, after its signature was verified: schema, access, onto the owner's
 * inbound topic, then wait (within the caller's timeout) for the owner's reply from the replies topic and
 * check it against the reply schema.
 * - Recorded like the outbound direction: status `accepted` once Kafka holds it, `replied` / `failed` with its
 *   outcome; message log `received` (with the partner's verified signature), `reply-sent` (with ours, see
 *   recordReplySent), `failed`, and `rejected` for a request refused by schema or access.
 * - Idempotent by the caller's id: a retry gets the first request's reply (or failure) once there is one, and
 *   waits for it while the first is in flight, instead of queueing a second copy. The same id from another
 *   client or for another service is refused (MESSAGE_ID_CONFLICT).
 * - A first request that got past admission leaves one operational record (OperationalRecorder, batched, never in
 *   the way): succeeded when the signed answer leaves (recordReplySent), dead-lettered with its code when the
 *   caller gets a fault instead (timeout, the subsystem's failure, an invalid reply, Kafka unavailable).
 */
@Injectable()
export class HandleInboundRequestUseCase {
  private readonly logger = new Logger(HandleInboundRequestUseCase.name);
  /** Requests of this process from "not seen before" until their outcome: a retry meanwhile waits for it. */
  private readonly pending = new Map<string, { client: string; service: string }>();

  constructor(
    @Inject(InboundCatalogue) private readonly catalogue: InboundCatalogue,
    private readonly schemas: SchemaRegistry,
    private readonly access: AccessControlService,
    private readonly producer: MessageProducer,
    private readonly topics: TopicNames,
    private readonly replies: ReplyWaiter,
    private readonly statuses: MessageStatusRepository,
    private readonly messageLog: MessageLog,
    private readonly rejections: RecordInboundRejectionUseCase,
    @Inject(INBOUND_CALLBACKS) private readonly callbacks: InboundCallbacks,
    @Optional() private readonly recorder?: OperationalRecorder,
  ) {}

  /** Everything before Kafka: the service exists, the payload matches its schema, the client may call it. */
  async admit(input: InboundRequest): Promise<{ service: InboundService; schemaVersion: string; warnings: string[] }> {
    // Same bound as the internal API's userId: it travels in Kafka headers, the message log and callbacks.
    if (input.userId !== undefined && (input.userId.length > 200 || /[\u0000-\u001f\u007f]/.test(input.userId))) {
      throw new InboundException(InboundErrorCode.USER_ID_INVALID, 'The user id must be at most 200 characters without control characters');
    }
    const service = this.catalogue.get(input.operation);
    // Validated against the version the caller declares (each version against its own schema).
    const outcome = this.schemas.validate(service.request.type, input.schemaVersion ?? service.request.version, input.payload);
    await this.access.check(input.clientId, `${MINISTRY_SERVICE}/${service.operation}`);
    return { service, schemaVersion: outcome.version, warnings: outcome.warnings.map((warning) => warning.message) };
  }

  async execute(input: InboundRequest, timeoutMs: number): Promise<InboundResult> {
    let admitted: { service: InboundService; schemaVersion: string; warnings: string[] };
    try {
      admitted = await this.admit(input);
    } catch (error) {
      await this.reject(input, error);
      throw error;
    }
    const { service, schemaVersion, warnings } = admitted;
    const request = createEnvelope({
      ...(input.callerMessageId ? { messageId: input.callerMessageId, correlationId: input.callerMessageId } : {}),
      client: input.clientId,
      service: { partner: MINISTRY_SERVICE, operation: service.operation },
      messageType: service.request.type,
      schemaVersion,
      contentType: 'application/xml',
      payload: input.payload,
      direction: 'inbound',
      attempt: 1,
      ...(input.userId ? { userId: input.userId } : {}),
      ...(input.signature ? { signature: input.signature } : {}),
    });
    const id = request.messageId;
    const local = this.pending.get(id);
    if (local) {
      await this.checkSameCaller(input, request, local);
      return this.repeat(request, service, warnings, timeoutMs);
    }
    this.pending.set(id, { client: request.client, service: serviceId(request.service) });
    try {
      const existing = await this.statuses.find(id);
      if (existing) {
        await this.checkSameCaller(input, request, existing);
        return await this.repeat(request, service, warnings, timeoutMs, existing);
      }
      const hops: ExchangeHops = { requestInAt: new Date(input.receivedAt ?? Date.parse(request.createdAt)).toISOString() };
      try {
        return await this.first(request, service, warnings, timeoutMs, hops);
      } catch (error) {
        this.recordExchange(request, { hops, result: OperationalResult.DEAD_LETTERED, errorCode: isKorpuException(error) ? error.code : 'INTERNAL_ERROR' });
        throw error;
      }
    } finally {
      this.pending.delete(id);
    }
  }

  /** Logs the reply as it leaves for the partner, with our signature over it (never fails the answer). */
  async recordReplySent(result: InboundResult, signature: ReplySignature): Promise<void> {
    if (result.hops && !result.duplicate) {
      this.recordExchange(result.request, {
        hops: result.hops,
        result: OperationalResult.SUCCEEDED,
        reply: result.reply,
        signerCertificate: signature.certificate,
      });
    }
    try {
      await this.messageLog.append(
        logEntryFromEnvelope(result.reply, LogEvent.REPLY_SENT, {
          signature: { format: signature.format, value: signature.value, certificate: signature.certificate, verification: 'signed' },
          ...(result.duplicate ? { detail: { duplicate: true } } : {}),
        }),
      );
    } catch (error) {
      this.logger.warn(`Reply to inbound ${result.request.messageId} not logged: ${String(error)}`);
    }
  }

  /** Not seen before: onto Kafka, recorded, then the owner's reply. */
  private async first(request: Envelope, service: InboundService, warnings: string[], timeoutMs: number, hops: ExchangeHops): Promise<InboundResult> {
    // Wait before sending, so a fast reply cannot arrive before anyone listens for it.
    const waiting = this.replies.wait(request.messageId, timeoutMs);
    try {
      await this.producer.send(this.topics.inbound(service.owner), [EnvelopeCodec.encode(request)]);
    } catch (error) {
      waiting.cancel();
      throw new InboundException(InboundErrorCode.BROKER_UNAVAILABLE, 'The request could not be queued; try again', undefined, error);
    }
    hops.requestQueuedAt = new Date().toISOString();
    try {
      await this.statuses.record(request, MessageStatus.ACCEPTED, traceDetail());
      await this.messageLog.append(logEntryFromEnvelope(request, LogEvent.RECEIVED));
    } catch (error) {
      // Kafka holds the request, so it is accepted; its outcome is recorded when it comes.
      this.logger.warn(`Acceptance of inbound ${request.messageId} not recorded: ${String(error)}`);
    }
    const reply = await waiting.reply;
    if (reply) hops.responseInAt = new Date().toISOString();
    return { ...(await this.settle(request, service, warnings, reply, timeoutMs, true)), hops };
  }

  /** Hands the exchange's operational record to the recorder (which never throws and never waits). */
  private recordExchange(
    request: Envelope,
    outcome: { hops: ExchangeHops; result: OperationalResult; errorCode?: string; reply?: Envelope; signerCertificate?: string },
  ): void {
    this.recorder?.record({
      direction: 'inbound',
      client: request.client,
      service: serviceId(request.service),
      messageId: request.messageId,
      correlationId: request.correlationId,
      ...(outcome.reply ? { replyMessageId: outcome.reply.messageId, responseSize: payloadSize(outcome.reply.payload) } : {}),
      messageType: request.messageType,
      attempt: 1,
      requestSize: payloadSize(request.payload) ?? 0,
      hops: { ...outcome.hops, responseOutAt: new Date().toISOString() },
      result: outcome.result,
      ...(outcome.errorCode ? { errorCode: outcome.errorCode } : {}),
      ...(outcome.signerCertificate ? { signer: replySignerOf(outcome.signerCertificate) } : {}),
    });
  }

  /** A retry of an id seen before: the first request's outcome, waited for while it is in flight. */
  private async repeat(
    request: Envelope,
    service: InboundService,
    warnings: string[],
    timeoutMs: number,
    existing?: MessageRecord,
  ): Promise<InboundResult> {
    await this.log(request, LogEvent.RECEIVED, { detail: { attempt: request.attempt, duplicate: true } });
    const recorded = existing && this.outcomeOf(request, existing);
    if (recorded) return this.settle(request, service, warnings, recorded, timeoutMs, false);
    const waiting = this.replies.wait(request.messageId, timeoutMs);
    // The outcome may have been recorded (and published) between the look-up and the wait.
    const meanwhile = await this.recordedOutcome(request);
    if (meanwhile) {
      waiting.cancel();
      return this.settle(request, service, warnings, meanwhile, timeoutMs, false);
    }
    const reply = (await waiting.reply) ?? (await this.recordedOutcome(request));
    return this.settle(request, service, warnings, reply, timeoutMs, false);
  }

  /**
   * Turns the owner's reply into the result, or into the error the caller gets. Only the first request records
   * the outcome, and only where no callback delivery of this lib has recorded it already.
   */
  private async settle(
    request: Envelope,
    service: InboundService,
    warnings: string[],
    reply: Envelope | undefined,
    timeoutMs: number,
    first: boolean,
  ): Promise<InboundResult> {
    const messageId = request.messageId;
    if (!reply) {
      throw new InboundException(InboundErrorCode.REPLY_TIMEOUT, `The ${service.owner} subsystem did not answer within ${timeoutMs} ms`, { messageId });
    }
    const recordedByDelivery = Boolean(this.callbacks[service.owner]);
    if (reply.messageType === DELIVERY_FAILURE_TYPE) {
      const failure = JSON.parse(reply.payload) as DeliveryFailure;
      if (first && !recordedByDelivery) await this.recordFailure(request, failure);
      const code = failure.code === InboundErrorCode.REPLY_INVALID ? InboundErrorCode.REPLY_INVALID : InboundErrorCode.SUBSYSTEM_FAILED;
      throw new InboundException(code, `The ${service.owner} subsystem could not answer: ${failure.message}`, { messageId, cause: failure.code });
    }
    try {
      if (reply.messageType !== service.reply.type) throw new Error(`a ${reply.messageType} is not a ${service.reply.type}`);
      this.schemas.validate(service.reply.type, reply.schemaVersion, reply.payload);
    } catch (error) {
      const message = `The ${service.owner} subsystem replied with an invalid message: ${(error as Error).message}`;
      if (first) await this.recordFailure(request, { code: InboundErrorCode.REPLY_INVALID, message });
      throw new InboundException(InboundErrorCode.REPLY_INVALID, message, { messageId });
    }
    if (first && !recordedByDelivery) {
      try {
        await this.statuses.recordReply(request, reply);
      } catch (error) {
        this.logger.warn(`Reply to inbound ${messageId} not recorded: ${String(error)}`);
      }
    }
    return { request, reply, service, warnings, duplicate: !first };
  }

  /** The recorded reply, or the recorded failure as a failure reply; undefined while the request is in flight. */
  private outcomeOf(request: Envelope, record: MessageRecord): Envelope | undefined {
    if (record.status === MessageStatus.FAILED) {
      const failure: DeliveryFailure = { code: record.error?.code ?? InboundErrorCode.SUBSYSTEM_FAILED, message: record.error?.message ?? 'failed' };
      return createReply(request, {
        messageType: DELIVERY_FAILURE_TYPE,
        schemaVersion: DELIVERY_FAILURE_VERSION,
        contentType: 'application/json',
        payload: JSON.stringify(failure),
        client: 'korpu',
      });
    }
    if (!record.reply) return undefined;
    const reply = createReply(request, {
      messageType: record.reply.messageType,
      schemaVersion: record.reply.schemaVersion,
      contentType: record.reply.contentType as Envelope['contentType'],
      payload: record.reply.payload,
      client: `MLSP/${this.catalogue.find(request.service.operation)?.owner ?? request.service.partner}`,
    });
    return { ...reply, messageId: record.reply.messageId };
  }

  private async recordedOutcome(request: Envelope): Promise<Envelope | undefined> {
    try {
      const record = await this.statuses.find(request.messageId);
      return record && this.outcomeOf(request, record);
    } catch (error) {
      this.logger.warn(`Status of inbound ${request.messageId} not readable: ${String(error)}`);
      return undefined;
    }
  }

  /** The same id from another client, for another service, or of another direction is refused. */
  private async checkSameCaller(input: InboundRequest, request: Envelope, first: { client: string; service: string; direction?: string }): Promise<void> {
    if (first.client === request.client && first.service === serviceId(request.service) && (first.direction ?? 'inbound') === 'inbound') return;
    const error = new InboundException(InboundErrorCode.MESSAGE_ID_CONFLICT, `Message id ${request.messageId} was already used by another client or for another service`, {
      messageId: request.messageId,
    });
    await this.reject(input, error);
    throw error;
  }

  /**
   * A refused request is in the message log (bounded) and, when it named a service we offer and was refused for what
   * it is (a 4xx that sending again will not change: schema, access, user id), an operational record `refused`.
   */
  private async reject(input: InboundRequest, error: unknown): Promise<void> {
    const service = this.catalogue.find(input.operation);
    if (service && isFinalRefusal(error)) {
      const messageId = input.callerMessageId ?? newMessageId();
      this.recorder?.record({
        direction: 'inbound',
        client: input.clientId,
        service: `${MINISTRY_SERVICE}/${service.operation}`,
        messageId,
        correlationId: messageId,
        messageType: service.request.type,
        attempt: 1,
        requestSize: payloadSize(input.payload) ?? 0,
        hops: { requestInAt: new Date(input.receivedAt ?? Date.now()).toISOString(), responseOutAt: new Date().toISOString() },
        result: OperationalResult.REFUSED,
        errorCode: error.code,
      });
    }
    await this.rejections.execute({
      source: input.source,
      callerMessageId: input.callerMessageId,
      clientId: input.clientId,
      operation: input.operation,
      payload: input.payload,
      contentType: 'application/xml',
      signature: input.signature,
      error,
    });
  }

  private async recordFailure(request: Envelope, failure: DeliveryFailure): Promise<void> {
    const detail = { code: failure.code, message: failure.message };
    try {
      await this.messageLog.append(logEntryFromEnvelope(request, LogEvent.FAILED, { detail }));
      await this.statuses.record(request, MessageStatus.FAILED, detail);
    } catch (error) {
      this.logger.warn(`Failure of inbound ${request.messageId} not recorded: ${String(error)}`);
    }
  }

  private async log(request: Envelope, event: LogEvent, extra: Parameters<typeof logEntryFromEnvelope>[2]): Promise<void> {
    try {
      await this.messageLog.append(logEntryFromEnvelope(request, event, extra));
    } catch (error) {
      this.logger.warn(`Inbound ${request.messageId} not logged (${event}): ${String(error)}`);
    }
  }
}
