import { Inject, Injectable, Logger } from '@nestjs/common';
import { Envelope, EnvelopeCodec, createReply } from '@korpu/envelope';
import { DELIVERY_FAILURE_TYPE, DELIVERY_FAILURE_VERSION, DeliveryFailure } from '@korpu/exchange';
import { LogEvent, MessageLog, logEntryFromEnvelope } from '@korpu/message-log';
import { MessageProducer, TopicNames } from '@korpu/messaging';
import { MessageStatus, MessageStatusRepository } from '@korpu/tracking';
import { InboundCatalogue, InboundService } from '../inbound-catalogue';
import { InboundErrorCode } from '../inbound.exception';
import { CallbackRetryPolicy, DEFAULT_CALLBACK_RETRY, INBOUND_OPTIONS, InboundOptions } from '../inbound.options';
import { CallbackFailure, classifyCallbackAnswer, classifyCallbackError } from './callback-failure';
import { CallbackAnswer, SubsystemCallbackAdapter } from './subsystem-callback.adapter';

export const INBOUND_CALLBACKS = Symbol('INBOUND_CALLBACKS');

/** owner subsystem → callback URL; owners not listed consume their inbound topic themselves. */
export type InboundCallbacks = Record<string, string>;

export type CallbackOutcome = 'not-ours' | 'replied' | 'already-replied' | 'failed';

const DEFAULT_REPLY_TIMEOUT_MS = 10000;

/**
 * Hands an inbound request to the owning subsystem's HTTP callback and publishes its answer as the reply
 * (the request's correlation; client `MLSP/<owner>`).
 * - Temporary failures (connection refused/reset, timeout, 5xx) are tried again with backoff while a reply can
 *   still reach the caller within its deadline; permanent ones (4xx, a non-XML answer) are not.
 * - The reply (or the failure) is recorded before it is published, so a partner's retry of the same id gets
 *   it even when the first caller has stopped waiting; a redelivered request whose reply is recorded is
 *   answered from the record without asking the subsystem again.
 * - What cannot be delivered becomes a failure reply, so the waiting caller learns it before its deadline.
 */
@Injectable()
export class DeliverToCallbackUseCase {
  private readonly logger = new Logger(DeliverToCallbackUseCase.name);
  private readonly retry: CallbackRetryPolicy;
  private readonly replyTimeoutMs: number;

  constructor(
    @Inject(InboundCatalogue) private readonly catalogue: InboundCatalogue,
    @Inject(INBOUND_CALLBACKS) private readonly callbacks: InboundCallbacks,
    private readonly callback: SubsystemCallbackAdapter,
    private readonly producer: MessageProducer,
    private readonly topics: TopicNames,
    private readonly statuses: MessageStatusRepository,
    private readonly messageLog: MessageLog,
    @Inject(INBOUND_OPTIONS) options: InboundOptions,
  ) {
    this.retry = { ...DEFAULT_CALLBACK_RETRY, ...options.callbackRetry };
    this.replyTimeoutMs = options.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS;
  }

  async execute(request: Envelope): Promise<CallbackOutcome> {
    const service = this.catalogue.find(request.service.operation);
    const url = service ? this.callbacks[service.owner] : undefined;
    if (!service || !url) return 'not-ours'; // the subsystem consumes the topic itself
    const recorded = await this.recordedReply(request, service.owner);
    if (recorded) {
      await this.publish(recorded);
      return 'already-replied';
    }
    const { answer, failure, attempts } = await this.call(service, url, request);
    if (answer) {
      const reply = createReply(request, {
        messageType: service.reply.type,
        schemaVersion: answer.schemaVersion ?? service.reply.version,
        contentType: 'application/xml',
        payload: answer.body,
        client: `MLSP/${service.owner}`,
      });
      await this.record(request, () => this.statuses.recordReply(request, reply));
      await this.publish(reply);
      return 'replied';
    }
    const message = failure!.message;
    this.logger.warn(`Inbound ${request.messageId}: ${message} (${attempts} attempt(s))`);
    const detail = { code: InboundErrorCode.SUBSYSTEM_FAILED, message, attempts };
    await this.record(request, async () => {
      await this.messageLog.append(logEntryFromEnvelope(request, LogEvent.FAILED, { detail }));
      await this.statuses.record(request, MessageStatus.FAILED, { ...detail, attempt: attempts });
    });
    const payload: DeliveryFailure = { code: InboundErrorCode.SUBSYSTEM_FAILED, message };
    await this.publish(
      createReply(request, {
        messageType: DELIVERY_FAILURE_TYPE,
        schemaVersion: DELIVERY_FAILURE_VERSION,
        contentType: 'application/json',
        payload: JSON.stringify(payload),
        client: 'korpu',
      }),
    );
    return 'failed';
  }

  /** Calls the subsystem, again after a temporary failure while the caller's deadline leaves room. */
  private async call(
    service: InboundService,
    url: string,
    request: Envelope,
  ): Promise<{ answer?: CallbackAnswer; failure?: CallbackFailure; attempts: number }> {
    const deadline = Date.parse(request.createdAt) + this.replyTimeoutMs;
    for (let attempt = 1; ; attempt++) {
      let failure: CallbackFailure | undefined;
      try {
        const answer = await this.callback.post(url, request);
        failure = classifyCallbackAnswer(service.owner, answer);
        if (!failure) return { answer, attempts: attempt };
      } catch (error) {
        failure = classifyCallbackError(service.owner, error);
      }
      const delay = Math.min(this.retry.initialDelayMs * 2 ** (attempt - 1), this.retry.maxDelayMs);
      if (failure.kind === 'permanent' || attempt >= this.retry.attempts || Date.now() + delay >= deadline) {
        return { failure, attempts: attempt };
      }
      this.logger.debug(`Inbound ${request.messageId}: ${failure.message}; attempt ${attempt + 1} in ${delay} ms`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /** The reply already recorded for this request (a redelivery after the subsystem answered), if any. */
  private async recordedReply(request: Envelope, owner: string): Promise<Envelope | undefined> {
    let existing;
    try {
      existing = await this.statuses.find(request.messageId);
    } catch (error) {
      this.logger.warn(`Inbound ${request.messageId}: status not readable, delivering: ${String(error)}`);
      return undefined;
    }
    if (!existing?.reply) return undefined;
    const reply = createReply(request, {
      messageType: existing.reply.messageType,
      schemaVersion: existing.reply.schemaVersion,
      contentType: existing.reply.contentType as Envelope['contentType'],
      payload: existing.reply.payload,
      client: `MLSP/${owner}`,
    });
    return { ...reply, messageId: existing.reply.messageId };
  }

  /** The caller waits: a record that cannot be written is logged and the reply published all the same. */
  private async record(request: Envelope, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.logger.warn(`Inbound ${request.messageId}: outcome not recorded: ${String(error)}`);
    }
  }

  private async publish(reply: Envelope): Promise<void> {
    await this.producer.send(this.topics.replies, [EnvelopeCodec.encode(reply)]);
  }
}
