import { Injectable } from '@nestjs/common';
import { PartnerDirectory } from '@korpu/contracts';
import { Envelope, newMessageId, ReplyWaiter } from '@korpu/envelope';
import { MessageRecord, MessageStatus } from '@korpu/tracking';
import { DELIVERY_FAILURE_TYPE, DeliveryFailure } from '../delivery-failure';
import { ExchangeErrorCode, ExchangeException } from '../exchange.exception';
import { SubmitMessageCommand } from '../submit-message/submit-message.command';
import { SubmitMessageUseCase } from '../submit-message/submit-message.usecase';
import { ExchangeAdmission } from './exchange-admission';

export interface ExchangeReply {
  messageId: string;
  replyMessageId: string;
  correlationId: string;
  messageType: string;
  schemaVersion: string;
  contentType: string;
  payload: string;
  warnings: string[];
}

/**
 * Synchronous request/reply over Kafka: submit, then wait for the partner's reply or the deadline. Each exchange
 * holds a place in the partner's waiting budget (ExchangeAdmission) from before its submit until it is answered.
 */
@Injectable()
export class ExchangeMessageUseCase {
  constructor(
    private readonly submit: SubmitMessageUseCase,
    private readonly replies: ReplyWaiter,
    private readonly partners: PartnerDirectory,
    private readonly admission: ExchangeAdmission,
  ) {}

  async execute(command: SubmitMessageCommand, timeoutMs: number): Promise<ExchangeReply> {
    // An unknown service is refused as such (404), not as an overload; an overload refuses before anything is sent.
    const { partner } = this.partners.resolve(command.service);
    // The caller is authenticated by now (ClientAuthGuard); access is checked by the submit.
    const release = this.admission.admit(partner.id, command.client ?? '', {
      maxWaiting: partner.maxWaitingExchanges,
      maxWaitingPerClient: partner.maxWaitingExchangesPerClient,
    });
    try {
      return await this.exchange(command, timeoutMs);
    } finally {
      release();
    }
  }

  private async exchange(command: SubmitMessageCommand, timeoutMs: number): Promise<ExchangeReply> {
    const messageId = command.messageId ?? newMessageId();
    // Wait before sending, so a fast reply cannot arrive before anyone listens for it.
    const wait = this.replies.wait(messageId, timeoutMs);
    let submitted;
    try {
      submitted = await this.submit.execute(command, messageId);
    } catch (error) {
      wait.cancel();
      throw error;
    }
    if (submitted.duplicate && submitted.existing) {
      const settled = this.fromRecord(submitted.existing, submitted.warnings);
      if (settled) {
        wait.cancel();
        return settled;
      }
    }
    const envelope = await wait.reply;
    if (!envelope) {
      throw new ExchangeException(
        ExchangeErrorCode.REPLY_TIMEOUT,
        `No reply within ${timeoutMs} ms; the exchange goes on, follow it at /v1/messages/${messageId}`,
        { messageId, statusUrl: `/v1/messages/${messageId}` },
      );
    }
    return this.fromEnvelope(messageId, envelope, submitted.warnings);
  }

  private fromEnvelope(messageId: string, reply: Envelope, warnings: string[]): ExchangeReply {
    if (reply.messageType === DELIVERY_FAILURE_TYPE) {
      const failure = JSON.parse(reply.payload) as DeliveryFailure;
      throw new ExchangeException(ExchangeErrorCode.EXCHANGE_FAILED, `The partner exchange failed: ${failure.message}`, {
        messageId,
        cause: failure.code,
      });
    }
    return {
      messageId,
      replyMessageId: reply.messageId,
      correlationId: reply.correlationId,
      messageType: reply.messageType,
      schemaVersion: reply.schemaVersion,
      contentType: reply.contentType,
      payload: reply.payload,
      warnings,
    };
  }

  /** A repeated message id gets the first result: the stored reply, or the stored failure. */
  private fromRecord(record: MessageRecord, warnings: string[]): ExchangeReply | undefined {
    if (record.reply) {
      return {
        messageId: record.messageId,
        replyMessageId: record.reply.messageId,
        correlationId: record.correlationId,
        messageType: record.reply.messageType,
        schemaVersion: record.reply.schemaVersion,
        contentType: record.reply.contentType,
        payload: record.reply.payload,
        warnings,
      };
    }
    if (record.status === MessageStatus.FAILED) {
      throw new ExchangeException(ExchangeErrorCode.EXCHANGE_FAILED, `The partner exchange failed: ${record.error?.message ?? ''}`, {
        messageId: record.messageId,
        cause: record.error?.code,
      });
    }
    return undefined;
  }
}
