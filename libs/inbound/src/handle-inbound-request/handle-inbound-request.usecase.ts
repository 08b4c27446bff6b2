import { Inject, Injectable } from '@nestjs/common';
import { AccessControlService } from '@korpu/access';
import { Envelope, EnvelopeCodec, SignatureInfo, createEnvelope } from '@korpu/envelope';
import { DELIVERY_FAILURE_TYPE, DeliveryFailure, ReplyWaiter } from '@korpu/exchange';
import { MessageProducer, TopicNames } from '@korpu/messaging';
import { SchemaRegistry } from '@korpu/schemas';
import { InboundCatalogue, InboundService, MINISTRY_SERVICE } from '../inbound-catalogue';
import { InboundErrorCode, InboundException } from '../inbound.exception';

export interface InboundRequest {
  /** The authenticated client (from mutual TLS or the signer's certificate). */
  clientId: string;
  operation: string;
  /** The payload element as XML. */
  payload: string;
  userId?: string;
  /** The caller's own id (xrd:id / X-Road-Id), kept as the correlation id. */
  callerMessageId?: string;
  signature?: SignatureInfo;
}

export interface InboundResult {
  request: Envelope;
  reply: Envelope;
  service: InboundService;
  warnings: string[];
}

/**
 * A partner's request to the ministry, after its signature was verified: schema, access, onto the owner's
 * inbound topic, then wait (within the caller's timeout) for the owner's reply from the replies topic and
 * check it against the reply schema.
 */
@Injectable()
export class HandleInboundRequestUseCase {
  constructor(
    @Inject(InboundCatalogue) private readonly catalogue: InboundCatalogue,
    private readonly schemas: SchemaRegistry,
    private readonly access: AccessControlService,
    private readonly producer: MessageProducer,
    private readonly topics: TopicNames,
    private readonly replies: ReplyWaiter,
  ) {}

  /** Everything before Kafka: the service exists, the payload matches its schema, the client may call it. */
  async admit(input: InboundRequest): Promise<{ service: InboundService; warnings: string[] }> {
    const service = this.catalogue.get(input.operation);
    const outcome = this.schemas.validate(service.request.type, service.request.version, input.payload);
    await this.access.check(input.clientId, `${MINISTRY_SERVICE}/${service.operation}`);
    return { service, warnings: outcome.warnings.map((warning) => warning.message) };
  }

  async execute(input: InboundRequest, timeoutMs: number): Promise<InboundResult> {
    const { service, warnings } = await this.admit(input);
    const request = createEnvelope({
      client: input.clientId,
      service: { partner: MINISTRY_SERVICE, operation: service.operation },
      messageType: service.request.type,
      schemaVersion: service.request.version,
      contentType: 'application/xml',
      payload: input.payload,
      direction: 'inbound',
      attempt: 1,
      ...(input.callerMessageId ? { correlationId: input.callerMessageId } : {}),
      ...(input.userId ? { userId: input.userId } : {}),
      ...(input.signature ? { signature: input.signature } : {}),
    });
    const waiting = this.replies.wait(request.messageId, timeoutMs);
    try {
      await this.producer.send(this.topics.inbound(service.owner), [EnvelopeCodec.encode(request)]);
    } catch (error) {
      this.replies.cancel(request.messageId);
      throw new InboundException(InboundErrorCode.BROKER_UNAVAILABLE, 'The request could not be queued; try again', undefined, error);
    }
    const reply = await waiting;
    if (!reply) {
      throw new InboundException(InboundErrorCode.REPLY_TIMEOUT, `The ${service.owner} subsystem did not answer within ${timeoutMs} ms`, {
        messageId: request.messageId,
      });
    }
    if (reply.messageType === DELIVERY_FAILURE_TYPE) {
      const failure = JSON.parse(reply.payload) as DeliveryFailure;
      throw new InboundException(InboundErrorCode.SUBSYSTEM_FAILED, `The ${service.owner} subsystem could not answer: ${failure.message}`, {
        messageId: request.messageId,
        cause: failure.code,
      });
    }
    try {
      if (reply.messageType !== service.reply.type) throw new Error(`a ${reply.messageType} is not a ${service.reply.type}`);
      this.schemas.validate(service.reply.type, reply.schemaVersion, reply.payload);
    } catch (error) {
      throw new InboundException(InboundErrorCode.REPLY_INVALID, `The ${service.owner} subsystem replied with an invalid message: ${(error as Error).message}`, {
        messageId: request.messageId,
      });
    }
    return { request, reply, service, warnings };
  }
}
