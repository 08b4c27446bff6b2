import { Injectable, Logger, Optional } from '@nestjs/common';
import { AccessControlService } from '@korpu/access';
import { PartnerDirectory } from '@korpu/contracts';
import { Envelope, EnvelopeCodec, createEnvelope, newMessageId, serviceId } from '@korpu/envelope';
import { isFinalRefusal } from '@korpu/errors';
import { LogEntry, LogEvent, MessageLog, logEntryFromEnvelope } from '@korpu/message-log';
import { MessageProducer, TopicNames } from '@korpu/messaging';
import { traceDetail } from '@korpu/observability';
import { OperationalRecorder, OperationalResult, payloadSize } from '@korpu/operational-monitoring';
import { MessageRecord, MessageStatus, MessageStatusRepository } from '@korpu/tracking';
import { ExchangeErrorCode, ExchangeException } from '../exchange.exception';
import { PayloadValidator } from '../payload-validator.port';
import { ClaimHolder } from './claim-holder';
import { SubmitMessageCommand } from './submit-message.command';

export interface SubmitResult {
  messageId: string;
  correlationId: string;
  status: MessageStatus;
  /** True when the message id was submitted before: the first result is returned and nothing is sent again. */
  duplicate: boolean;
  /** Present when the message declared a deprecated schema version. */
  warnings: string[];
  existing?: MessageRecord;
  envelope?: Envelope;
}

/**
 * How long a claim on a caller-chosen id holds, while its holder is alive, before another submit of the same client
 * may take it over: longer than the producer may keep retrying a send (KAFKA_PRODUCER_RETRY_MS, at most a few tens
 * of seconds by default), so a send still in flight does not race the takeover. A claim of a holder that died is
 * taken over sooner (ClaimHolder).
 */
const CLAIM_LEASE_SECONDS = 120;

/**
 * Accepts a subsystem's message for a partner: identifies the client, checks access and schema,
 * and answers only once Kafka holds the message (acks=all), so an accepted message is never lost.
 */
@Injectable()
export class SubmitMessageUseCase {
  private readonly logger = new Logger(SubmitMessageUseCase.name);

  constructor(
    private readonly partners: PartnerDirectory,
    private readonly access: AccessControlService,
    private readonly validator: PayloadValidator,
    private readonly producer: MessageProducer,
    private readonly statuses: MessageStatusRepository,
    private readonly topics: TopicNames,
    private readonly messageLog: MessageLog,
    private readonly holder: ClaimHolder,
    @Optional() private readonly recorder?: OperationalRecorder,
  ) {}

  /**
   * A refusal of a known service (access, message type, schema, an id held by another caller: a 4xx that sending
   * again will not change) leaves an operational record with result `refused`; the dispatcher records the rest.
   */
  async execute(command: SubmitMessageCommand, preassignedId?: string): Promise<SubmitResult> {
    const receivedAt = Date.now();
    const resolved = this.partners.resolve(command.service);
    try {
      return await this.submit(command, resolved, preassignedId);
    } catch (error) {
      if (isFinalRefusal(error)) {
        const messageId = command.messageId ?? preassignedId ?? newMessageId();
        this.recorder?.record({
          direction: 'outbound',
          client: command.client as string,
          service: serviceId(command.service),
          messageId,
          correlationId: command.correlationId ?? messageId,
          messageType: command.messageType ?? resolved.operation.request.type,
          attempt: 1,
          requestSize: payloadSize(command.payload) ?? 0,
          hops: { requestInAt: new Date(receivedAt).toISOString(), responseOutAt: new Date().toISOString() },
          result: OperationalResult.REFUSED,
          errorCode: error.code,
        });
      }
      throw error;
    }
  }

  private async submit(
    command: SubmitMessageCommand,
    { partner, operation }: ReturnType<PartnerDirectory['resolve']>,
    preassignedId?: string,
  ): Promise<SubmitResult> {
    const service = serviceId(command.service);
    await this.access.check(command.client, service);
    const client = command.client as string;
    const messageType = command.messageType ?? operation.request.type;
    if (messageType !== operation.request.type) {
      throw new ExchangeException(
        ExchangeErrorCode.MESSAGE_TYPE_MISMATCH,
        `Service ${service} takes messages of type "${operation.request.type}", not "${messageType}"`,
      );
    }
    const schemaVersion = command.schemaVersion ?? operation.request.version;
    const { warnings } = await this.validator.validate(messageType, schemaVersion, command.payload, command.contentType);

    const envelope = createEnvelope({
      messageId: command.messageId ?? preassignedId,
      correlationId: command.correlationId,
      client,
      service: command.service,
      messageType,
      schemaVersion,
      contentType: command.contentType,
      payload: command.payload,
      userId: command.userId,
      attempt: 1,
    });
    // A caller-chosen id is claimed before anything is sent (ids we make are new ULIDs: nobody else holds them).
    const claimed = command.messageId !== undefined;
    if (claimed && !(await this.statuses.claim(envelope, CLAIM_LEASE_SECONDS, this.holder.id))) {
      const existing = await this.statuses.find(envelope.messageId);
      if (existing && (existing.client !== client || existing.service !== service)) {
        throw new ExchangeException(
          ExchangeErrorCode.MESSAGE_ID_CONFLICT,
          `Message id ${envelope.messageId} was already used for another client or service`,
        );
      }
      if (!existing || existing.status === MessageStatus.CLAIMED) {
        throw new ExchangeException(
          ExchangeErrorCode.MESSAGE_IN_PROGRESS,
          `A submit of message id ${envelope.messageId} is in progress; send it again in a moment to get its result`,
          { messageId: envelope.messageId },
        );
      }
      return {
        messageId: envelope.messageId,
        correlationId: existing.correlationId,
        status: existing.status,
        duplicate: true,
        warnings,
        existing,
      };
    }

    // The receipt is logged while Kafka takes the message: the request waits for the longer of the two, not for
    // both in turn. A message Kafka did not take gets a failed record after its receipt.
    const received = this.logQuietly(logEntryFromEnvelope(envelope, LogEvent.RECEIVED));
    try {
      await this.producer.send(this.topics.outbound(partner.id), [EnvelopeCodec.encode(envelope)]);
    } catch (error) {
      if (claimed) await this.statuses.release(envelope.messageId).catch(() => undefined); // else the lease frees it
      await received;
      await this.logQuietly(
        logEntryFromEnvelope(envelope, LogEvent.FAILED, {
          payload: undefined, // the receipt holds it
          detail: { code: ExchangeErrorCode.BROKER_UNAVAILABLE, message: 'not queued: Kafka did not take it' },
        }),
      );
      throw new ExchangeException(
        ExchangeErrorCode.BROKER_UNAVAILABLE,
        'The message could not be queued; it was not accepted, send it again',
        { messageId: envelope.messageId },
        error,
      );
    }
    try {
      // Tracing on: the accepted event names the message's trace (GET /v1/messages/:id shows it as traceId).
      await this.statuses.record(envelope, MessageStatus.ACCEPTED, traceDetail());
    } catch (error) {
      // Kafka holds the message, so it is accepted; the dispatcher records its status when it sends it.
      this.logger.warn(`Acceptance of ${envelope.messageId} not recorded: ${String(error)}`);
    }
    await received;
    return {
      messageId: envelope.messageId,
      correlationId: envelope.correlationId,
      status: MessageStatus.ACCEPTED,
      duplicate: false,
      warnings,
      envelope,
    };
  }

  /** A log record the answer does not depend on: Kafka holds the message or the caller is told it does not. */
  private async logQuietly(entry: LogEntry): Promise<void> {
    try {
      await this.messageLog.append(entry);
    } catch (error) {
      this.logger.warn(`The ${entry.event} record of ${entry.messageId} is not in the message log: ${String(error)}`);
    }
  }
}
