import { Injectable, Logger } from '@nestjs/common';
import { AccessControlService } from '@korpu/access';
import { PartnerDirectory } from '@korpu/contracts';
import { Envelope, EnvelopeCodec, createEnvelope, serviceId } from '@korpu/envelope';
import { LogEvent, MessageLog, logEntryFromEnvelope } from '@korpu/message-log';
import { MessageProducer, TopicNames } from '@korpu/messaging';
import { MessageRecord, MessageStatus, MessageStatusRepository } from '@korpu/tracking';
import { ExchangeErrorCode, ExchangeException } from '../exchange.exception';
import { PayloadValidator } from '../payload-validator.port';
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
  ) {}

  async execute(command: SubmitMessageCommand, preassignedId?: string): Promise<SubmitResult> {
    const { partner, operation } = this.partners.resolve(command.service);
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

    const messageId = command.messageId ?? preassignedId;
    if (messageId) {
      const existing = await this.statuses.find(messageId);
      if (existing) {
        if (existing.client !== client || existing.service !== service) {
          throw new ExchangeException(
            ExchangeErrorCode.MESSAGE_ID_CONFLICT,
            `Message id ${messageId} was already used for another client or service`,
          );
        }
        return { messageId, correlationId: existing.correlationId, status: existing.status, duplicate: true, warnings, existing };
      }
    }

    const envelope = createEnvelope({
      messageId,
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
    try {
      await this.producer.send(this.topics.outbound(partner.id), [EnvelopeCodec.encode(envelope)]);
    } catch (error) {
      throw new ExchangeException(
        ExchangeErrorCode.BROKER_UNAVAILABLE,
        'The message could not be queued; it was not accepted, send it again',
        { messageId: envelope.messageId },
        error,
      );
    }
    try {
      await Promise.all([
        this.statuses.record(envelope, MessageStatus.ACCEPTED),
        this.messageLog.append(logEntryFromEnvelope(envelope, LogEvent.RECEIVED)),
      ]);
    } catch (error) {
      // Kafka holds the message, so it is accepted; the dispatcher records its status and logs it when it sends it.
      this.logger.warn(`Acceptance of ${envelope.messageId} not recorded: ${String(error)}`);
    }
    return {
      messageId: envelope.messageId,
      correlationId: envelope.correlationId,
      status: MessageStatus.ACCEPTED,
      duplicate: false,
      warnings,
      envelope,
    };
  }
}
