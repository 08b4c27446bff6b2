import { Injectable, Logger } from '@nestjs/common';
import { PartnerClient, PartnerErrorCode, PartnerException } from '@korpu/adapters';
import { PartnerDirectory } from '@korpu/contracts';
import { Envelope, EnvelopeCodec, createReply } from '@korpu/envelope';
import { isKorpuException } from '@korpu/errors';
import { DELIVERY_FAILURE_TYPE, DELIVERY_FAILURE_VERSION, DeliveryFailure, PayloadValidator } from '@korpu/exchange';
import { MessageProducer, TopicNames } from '@korpu/messaging';
import { MessageStatus, MessageStatusRepository, STATUS_RANK } from '@korpu/tracking';

export type DeliveryOutcome = 'replied' | 'already-replied' | 'failed';

/**
 * Delivers one outbound message to its partner and publishes the reply. Idempotent by message id:
 * a message whose reply is already recorded is not sent again; its reply is published again instead.
 */
@Injectable()
export class DeliverMessageUseCase {
  private readonly logger = new Logger(DeliverMessageUseCase.name);

  constructor(
    private readonly partners: PartnerDirectory,
    private readonly client: PartnerClient,
    private readonly validator: PayloadValidator,
    private readonly producer: MessageProducer,
    private readonly statuses: MessageStatusRepository,
    private readonly topics: TopicNames,
  ) {}

  async execute(request: Envelope): Promise<DeliveryOutcome> {
    const existing = await this.statuses.find(request.messageId);
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
    if (!existing || STATUS_RANK[existing.status] < STATUS_RANK.dispatched) {
      await this.statuses.record(request, MessageStatus.DISPATCHED, { attempt: request.attempt ?? 1 });
    }
    try {
      const { partner, operation } = this.partners.resolve(request.service);
      const answer = await this.client.send(partner, operation, request);
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
      await this.statuses.recordReply(request, reply);
      await this.publishReply(reply);
      return 'replied';
    } catch (error) {
      if (!isKorpuException(error)) throw error; // infrastructure trouble: leave the message uncommitted for redelivery
      await this.fail(request, error.code, error.message);
      return 'failed';
    }
  }

  private async fail(request: Envelope, code: string, message: string): Promise<void> {
    this.logger.warn(`Delivery of ${request.messageId} failed: ${code} ${message}`);
    await this.statuses.record(request, MessageStatus.FAILED, { code, message, attempt: request.attempt ?? 1 });
    const failure: DeliveryFailure = { code, message };
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

  private async publishReply(reply: Envelope): Promise<void> {
    await this.producer.send(this.topics.replies, [EnvelopeCodec.encode(reply)]);
  }
}
