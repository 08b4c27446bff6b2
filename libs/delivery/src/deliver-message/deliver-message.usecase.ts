import { Injectable, Logger, Optional } from '@nestjs/common';
import { AccessControlService, AccessErrorCode, AccessException } from '@korpu/access';
import { PartnerClient, PartnerErrorCode, PartnerException, ReplyRefusedException } from '@korpu/adapters';
import { ContractsException, OperationConfig, PartnerConfig, PartnerDirectory } from '@korpu/contracts';
import { Envelope, EnvelopeCodec, createReply, serviceId } from '@korpu/envelope';
import { KorpuException, isKorpuException } from '@korpu/errors';
import { DELIVERY_FAILURE_TYPE, DELIVERY_FAILURE_VERSION, DeliveryFailure, PayloadValidator } from '@korpu/exchange';
import { LogEvent, MessageLog, logEntryFromEnvelope } from '@korpu/message-log';
import { IncomingMessage, MessageProducer, TopicNames } from '@korpu/messaging';
import { MetricsRegistry } from '@korpu/observability';
import { ExchangeHops, OperationalRecorder, OperationalResult, instant, payloadSize, replySignerOf } from '@korpu/operational-monitoring';
import { MessageStatus, MessageStatusRepository, STATUS_RANK } from '@korpu/tracking';
import { DeadLetterPublisher } from '../dead-letter.publisher';
import { DeliveryMetrics, failedExchangeOutcome } from '../delivery.metrics';
import { DeliveryErrorCode, DeliveryException } from '../delivery.exception';
import { decideRetry } from '../retry/retry-decision';
import { RetryScheduler } from '../retry/retry-scheduler';

export type DeliveryOutcome = 'replied' | 'already-replied' | 'retrying' | 'parked' | 'dead-lettered';

/** What one delivery attempt passed through, for its operational record (filled in as the attempt goes). */
interface AttemptTrace {
  hops: ExchangeHops;
  responseSize?: number;
  signerCertificate?: string;
  errorCode?: string;
  replyMessageId?: string;
}

/**
 * Delivers one outbound message to its partner and publishes the reply.
 * - Idempotent by message id: a message whose reply is recorded is not sent again (unless an operator forced
 *   a replay); its reply is published again instead, so a waiting caller still gets it.
 * - Failures follow the partner's retry policy through retry topics; the last one, or one not worth
 *   retrying, goes to the dead-letter topic and is reported to the waiting caller.
 * - Where the partner requires it, a message waits behind an earlier message of its correlation that is
 *   still being retried, so the partner sees them in order.
 * - The client's access right is checked again each time a message is taken from Kafka: a revocation stops
 *   messages already queued (ACCESS_REVOKED), and a record of a client nobody registered never reaches a partner.
 * - A reply refused for its signer or its binding to the request is logged as refused and dead-lettered at once.
 * - A record the contracts do not describe (unknown partner or operation, a message type that is not the
 *   operation's, a service of another partner than its topic's) or that our own contract cannot send (an operation
 *   the WSDL lacks) is dead-lettered with its code, never redelivered: it would block its partition forever.
 * - Every failed attempt is counted by partner and code (`korpu_delivery_failures_total`), retried or not; every
 *   partner reply recorded by this instance by partner (`korpu_deliveries_total`: one instance's share of the load).
 * - Every attempt that ends replied, retried or dead-lettered leaves one operational record (OperationalRecorder,
 *   batched, never in the way): sizes, the instant of each hop, result, error code, the reply's signer.
 */
@Injectable()
export class DeliverMessageUseCase {
  private readonly logger = new Logger(DeliverMessageUseCase.name);
  private readonly metrics: DeliveryMetrics;

  constructor(
    private readonly partners: PartnerDirectory,
    private readonly client: PartnerClient,
    private readonly validator: PayloadValidator,
    private readonly producer: MessageProducer,
    private readonly statuses: MessageStatusRepository,
    private readonly topics: TopicNames,
    private readonly retries: RetryScheduler,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly messageLog: MessageLog,
    private readonly access: AccessControlService,
    @Optional() metrics?: MetricsRegistry,
    @Optional() private readonly recorder?: OperationalRecorder,
  ) {
    this.metrics = new DeliveryMetrics(metrics);
  }

  async execute(request: Envelope, source: IncomingMessage): Promise<DeliveryOutcome> {
    const trace: AttemptTrace = {
      hops: { requestInAt: request.createdAt, requestQueuedAt: instant(source.timestamp), requestPickedAt: new Date().toISOString() },
    };
    const outcome = await this.deliver(request, source, trace);
    this.recordAttempt(request, outcome, trace);
    return outcome;
  }

  private async deliver(request: Envelope, source: IncomingMessage, trace: AttemptTrace): Promise<DeliveryOutcome> {
    const attempt = request.attempt ?? 1;
    // One round trip: the message's current status and whether an earlier message of its correlation is pending.
    const { current: existing, earlierPending } = await this.statuses.findForDelivery(request);
    if (existing && (existing.client !== request.client || existing.service !== serviceId(request.service))) {
      // Another message owns the id: neither its reply nor its status is this record's. Dead-lettered, nothing touched.
      const message = `Message id ${request.messageId} belongs to another client's or service's message`;
      this.logger.warn(`Refusing record ${request.messageId} of ${request.client}: ${message}`);
      this.countFailure(request, DeliveryErrorCode.MESSAGE_ID_CONFLICT);
      await this.deadLetters.publish(source, { code: DeliveryErrorCode.MESSAGE_ID_CONFLICT, message }, attempt);
      trace.errorCode = DeliveryErrorCode.MESSAGE_ID_CONFLICT;
      return 'dead-lettered';
    }
    if (existing?.reply && !request.replayOf) {
      const reply = createReply(request, {
        messageType: existing.reply.messageType,
        schemaVersion: existing.reply.schemaVersion,
        contentType: existing.reply.contentType as Envelope['contentType'],
        payload: existing.reply.payload,
      });
      await this.publishReply({ ...reply, messageId: existing.reply.messageId });
      return 'already-replied';
    }
    let partner: PartnerConfig;
    try {
      let operation: OperationConfig;
      ({ partner, operation } = this.partners.resolve(request.service));
      this.requireContract(request, source, partner, operation);
      await this.requireAccess(request);
    } catch (error) {
      if (!isKorpuException(error)) throw error;
      trace.errorCode = error.code;
      await this.giveUp(request, source, error, attempt);
      return 'dead-lettered';
    }
    if (partner.ordering === 'correlation' && earlierPending) {
      await this.statuses.record(request, MessageStatus.RETRYING, { parked: true, reason: 'an earlier message of its correlation is pending' });
      await this.retries.schedule(request, source.topic, partner.retry.initialDelayMs, 'parked');
      return 'parked';
    }
    // "dispatched" is written while the partner is called, not before: the call does not wait for a round trip, and
    // every later status write waits for it (retrying shares its rank and must land after it).
    const dispatched =
      !existing || STATUS_RANK[existing.status] <= STATUS_RANK.dispatched ? this.recordDispatched(request, attempt) : undefined;
    let exchanged: { reply: Envelope; requestSignature?: Envelope['signature'] };
    try {
      exchanged = await this.exchange(partner, request, trace);
    } catch (error) {
      await dispatched;
      if (isKorpuException(error)) trace.errorCode = error.code;
      // Our own contract cannot send it (e.g. an operation the WSDL lacks): redelivering cannot help.
      if (error instanceof ContractsException) {
        await this.giveUp(request, source, error, attempt);
        return 'dead-lettered';
      }
      // Only the partner's failures follow the retry policy; our own infrastructure trouble (database, broker)
      // leaves the record uncommitted, and it is delivered again.
      if (!(error instanceof PartnerException)) throw error;
      if (error instanceof ReplyRefusedException) await this.recordRefusedReply(request, error);
      const decision = decideRetry(error.code, attempt, partner.retry);
      if (decision.action === 'dead-letter') {
        await this.giveUp(request, source, error, attempt);
        return 'dead-lettered';
      }
      // Retried with the same message id, hence the same X-Road id: a partner that already acted on it answers from
      // its memory (the at-least-once contract of the README), whatever made us unable to accept its answer.
      this.countFailure(request, error.code);
      this.metrics.retried(partner.id, error.code);
      const nextAttemptAt = new Date(Date.now() + decision.delayMs).toISOString();
      await this.statuses.record(request, MessageStatus.RETRYING, {
        code: error.code,
        message: error.message,
        attempt,
        nextAttemptAt,
      });
      await this.retries.schedule({ ...request, attempt: decision.nextAttempt }, source.topic, decision.delayMs, error.code);
      return 'retrying';
    }
    // The partner has answered: losing that answer now would mean asking again, so recording it rides out
    // a short database outage instead of failing at once.
    // The log and the status are written side by side, each retried on its own (a retry does not write the other twice).
    const { reply, requestSignature } = exchanged;
    await dispatched;
    await Promise.all([
      persistently(async () => {
        // Queued together, in this order: one group commit of the message log writes both.
        await Promise.all([
          this.messageLog.append(logEntryFromEnvelope({ ...request, signature: requestSignature }, LogEvent.SENT)),
          this.messageLog.append(logEntryFromEnvelope(reply, LogEvent.REPLY_RECEIVED)),
        ]);
      }),
      persistently(() => this.statuses.recordReply(request, reply)),
    ]);
    this.metrics.delivered(partner.id);
    await this.publishReply(reply);
    trace.replyMessageId = reply.messageId;
    return 'replied';
  }

  /**
   * A failed write of "dispatched" is not a reason to hold the partner's answer back: the reply's status supersedes
   * it, and a failure's is written after it; the database being away shows again in those writes.
   */
  private async recordDispatched(request: Envelope, attempt: number): Promise<void> {
    try {
      await this.statuses.record(request, MessageStatus.DISPATCHED, { attempt });
    } catch (error) {
      this.logger.warn(`The dispatched status of ${request.messageId} is not recorded: ${String(error)}`);
    }
  }

  private async exchange(
    partner: PartnerConfig,
    request: Envelope,
    trace: AttemptTrace,
  ): Promise<{ reply: Envelope; requestSignature?: Envelope['signature'] }> {
    const { operation } = this.partners.resolve(request.service);
    const done = this.metrics.startExchange(partner.id, operation.name);
    let answer: Awaited<ReturnType<PartnerClient['send']>>;
    trace.hops.requestOutAt = new Date().toISOString();
    try {
      answer = await this.client.send(partner, operation, request);
      done('replied');
    } catch (error) {
      done(failedExchangeOutcome(error));
      trace.hops.responseInAt = new Date().toISOString();
      if (error instanceof ReplyRefusedException) {
        trace.responseSize = payloadSize(error.reply.payload);
        trace.signerCertificate = error.reply.signature?.certificate;
      }
      throw error;
    }
    trace.hops.responseInAt = new Date().toISOString();
    trace.responseSize = payloadSize(answer.payload);
    trace.signerCertificate = answer.signature?.certificate;
    const schemaVersion = answer.schemaVersion ?? operation.reply.version;
    try {
      await this.validator.validate(operation.reply.type, schemaVersion, answer.payload, answer.contentType);
    } catch (error) {
      throw new PartnerException(
        PartnerErrorCode.REPLY_SCHEMA_INVALID,
        `The reply of ${partner.id} does not match ${operation.reply.type} v${schemaVersion}: ${(error as Error).message}`,
        isKorpuException(error) ? error.details : undefined,
        error,
      );
    }
    const reply = createReply(request, {
      messageType: operation.reply.type,
      schemaVersion,
      contentType: answer.contentType,
      payload: answer.payload,
    });
    if (answer.signature) reply.signature = answer.signature;
    return { reply, requestSignature: answer.requestSignature };
  }

  /**
   * The record must be what the contracts describe: on its partner's outbound topic, with the message type its
   * operation takes (the gateway checked both; a record produced by anything else is not trusted for them).
   */
  private requireContract(request: Envelope, source: IncomingMessage, partner: PartnerConfig, operation: OperationConfig): void {
    const topic = this.topics.outbound(partner.id);
    if (source.topic !== topic) {
      throw new DeliveryException(
        DeliveryErrorCode.RECORD_TOPIC_MISMATCH,
        `Not delivered: a record on ${source.topic} names ${serviceId(request.service)}, whose topic is ${topic}`,
        { topic: source.topic, expectedTopic: topic },
      );
    }
    if (request.messageType !== operation.request.type) {
      throw new DeliveryException(
        DeliveryErrorCode.MESSAGE_TYPE_MISMATCH,
        `Not delivered: ${serviceId(request.service)} takes ${operation.request.type}, the record is ${request.messageType}`,
        { messageType: request.messageType, expectedType: operation.request.type },
      );
    }
  }

  /**
   * The client named by the record (`korpu-client`) must still hold the right to the service: a right revoked
   * (or a client disabled) since the gateway accepted the message is ACCESS_REVOKED; an unknown client keeps the
   * access code (CLIENT_UNKNOWN). A database failure is not a verdict: it propagates and the record is redelivered.
   */
  private async requireAccess(request: Envelope): Promise<void> {
    const service = serviceId(request.service);
    try {
      await this.access.check(request.client, service);
    } catch (error) {
      if (!(error instanceof AccessException)) throw error;
      if (error.code === AccessErrorCode.ACCESS_DENIED || error.code === AccessErrorCode.CLIENT_DISABLED) {
        throw new DeliveryException(DeliveryErrorCode.ACCESS_REVOKED, `Not delivered: ${error.message} any more`, {
          client: request.client,
          service,
          reason: error.code,
        });
      }
      throw error;
    }
  }

  /** The request went out and a reply came back, but it was refused: both are in the message log, the reply as refused. */
  private async recordRefusedReply(request: Envelope, error: ReplyRefusedException): Promise<void> {
    const { operation } = this.partners.resolve(request.service);
    const reply = createReply(request, {
      messageType: operation.reply.type,
      schemaVersion: operation.reply.version,
      contentType: error.reply.contentType,
      payload: error.reply.payload,
    });
    const refusedSignature = error.reply.signature && { ...error.reply.signature, verification: 'failed' as const };
    await persistently(async () => {
      await Promise.all([
        this.messageLog.append(logEntryFromEnvelope({ ...request, signature: error.reply.requestSignature }, LogEvent.SENT)),
        this.messageLog.append(
          logEntryFromEnvelope({ ...reply, signature: refusedSignature }, LogEvent.REJECTED, {
            detail: { code: error.code, message: error.message, ...error.details },
          }),
        ),
      ]);
    });
  }

  /**
   * The attempt's operational record: handed to the recorder, which writes it later in a batch and never throws.
   * Parked messages and replies published again were no exchange with the partner and leave none.
   */
  private recordAttempt(request: Envelope, outcome: DeliveryOutcome, trace: AttemptTrace): void {
    if (!this.recorder || outcome === 'parked' || outcome === 'already-replied') return;
    const result =
      outcome === 'replied' ? OperationalResult.SUCCEEDED : outcome === 'retrying' ? OperationalResult.FAILED : OperationalResult.DEAD_LETTERED;
    this.recorder.record({
      direction: 'outbound',
      client: request.client,
      service: serviceId(request.service),
      messageId: request.messageId,
      correlationId: request.correlationId,
      ...(trace.replyMessageId ? { replyMessageId: trace.replyMessageId } : {}),
      messageType: request.messageType,
      attempt: request.attempt ?? 1,
      requestSize: payloadSize(request.payload) ?? 0,
      ...(trace.responseSize === undefined ? {} : { responseSize: trace.responseSize }),
      hops: { ...trace.hops, responseOutAt: new Date().toISOString() },
      result,
      ...(result !== OperationalResult.SUCCEEDED && trace.errorCode ? { errorCode: trace.errorCode } : {}),
      ...(trace.signerCertificate ? { signer: replySignerOf(trace.signerCertificate) } : {}),
    });
  }

  /** Dead letter first (nothing is lost), then the status, then the waiting caller is told. */
  private async giveUp(request: Envelope, source: IncomingMessage, error: KorpuException, attempts: number): Promise<void> {
    this.logger.warn(`Giving up on ${request.messageId} after ${attempts} attempt(s): ${error.code} ${error.message}`);
    this.metrics.deadLettered(this.partnerLabel(request), error.code);
    this.countFailure(request, error.code);
    await this.deadLetters.publish(source, { code: error.code, message: error.message }, attempts);
    await this.messageLog.append(
      logEntryFromEnvelope(request, LogEvent.FAILED, { detail: { code: error.code, message: error.message, attempts } }),
    );
    await this.statuses.record(request, MessageStatus.FAILED, { code: error.code, message: error.message, attempt: attempts });
    const failure: DeliveryFailure = { code: error.code, message: error.message };
    await this.publishReply(
      createReply(request, {
        messageType: DELIVERY_FAILURE_TYPE,
        schemaVersion: DELIVERY_FAILURE_VERSION,
        contentType: 'application/json',
        payload: JSON.stringify(failure),
        client: 'korpu',
      }),
    );
  }

  /** Labels are bounded: a partner the contracts do not name is counted as "unknown". */
  private countFailure(request: Envelope, code: string): void {
    this.metrics.failed(this.partnerLabel(request), code);
  }

  private partnerLabel(request: Envelope): string {
    return this.partners.all().some((known) => known.id === request.service.partner) ? request.service.partner : 'unknown';
  }

  private async publishReply(reply: Envelope): Promise<void> {
    await this.producer.send(this.topics.replies, [EnvelopeCodec.encode(reply)]);
  }
}

/** Runs `write` until it succeeds, backing off, for up to about a minute; then lets the error through. */
async function persistently<T>(write: () => Promise<T>, budgetMs = 60000): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let delay = 250; ; delay = Math.min(delay * 2, 5000)) {
    try {
      return await write();
    } catch (error) {
      if (Date.now() + delay > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
