import { Inject, Injectable, Logger } from '@nestjs/common';
import { Envelope, EnvelopeCodec, createReply } from '@korpu/envelope';
import { DELIVERY_FAILURE_TYPE, DELIVERY_FAILURE_VERSION, DeliveryFailure } from '@korpu/exchange';
import { MessageProducer, TopicNames } from '@korpu/messaging';
import { InboundCatalogue } from '../inbound-catalogue';
import { InboundErrorCode } from '../inbound.exception';
import { SubsystemCallbackAdapter } from './subsystem-callback.adapter';

export const INBOUND_CALLBACKS = Symbol('INBOUND_CALLBACKS');

/** owner subsystem → callback URL; owners not listed consume their inbound topic themselves. */
export type InboundCallbacks = Record<string, string>;

/**
 * Hands an inbound request to the owning subsystem's HTTP callback and publishes its answer as the reply
 * (the request's correlation; client `MLSP/<owner>`). A refusal or an unreachable subsystem becomes a
 * failure reply at once, so the waiting caller learns it before its deadline.
 */
@Injectable()
export class DeliverToCallbackUseCase {
  private readonly logger = new Logger(DeliverToCallbackUseCase.name);

  constructor(
    @Inject(InboundCatalogue) private readonly catalogue: InboundCatalogue,
    @Inject(INBOUND_CALLBACKS) private readonly callbacks: InboundCallbacks,
    private readonly callback: SubsystemCallbackAdapter,
    private readonly producer: MessageProducer,
    private readonly topics: TopicNames,
  ) {}

  async execute(request: Envelope): Promise<void> {
    const service = this.catalogue.find(request.service.operation);
    const url = service ? this.callbacks[service.owner] : undefined;
    if (!service || !url) return; // not ours to deliver: the subsystem consumes the topic itself
    const client = `MLSP/${service.owner}`;
    let reply: Envelope;
    try {
      const answer = await this.callback.post(url, request);
      if (answer.status >= 200 && answer.status < 300 && answer.contentType.includes('xml')) {
        reply = createReply(request, {
          messageType: service.reply.type,
          schemaVersion: answer.schemaVersion ?? service.reply.version,
          contentType: 'application/xml',
          payload: answer.body,
          client,
        });
      } else {
        reply = this.failure(request, `the ${service.owner} subsystem answered HTTP ${answer.status}`);
      }
    } catch (error) {
      reply = this.failure(request, `the ${service.owner} subsystem is unreachable (${(error as { code?: string }).code ?? (error as Error).message})`);
    }
    await this.producer.send(this.topics.replies, [EnvelopeCodec.encode(reply)]);
  }

  private failure(request: Envelope, message: string): Envelope {
    this.logger.warn(`Inbound ${request.messageId}: ${message}`);
    const failure: DeliveryFailure = { code: InboundErrorCode.SUBSYSTEM_FAILED, message };
    return createReply(request, {
      messageType: DELIVERY_FAILURE_TYPE,
      schemaVersion: DELIVERY_FAILURE_VERSION,
      contentType: 'application/json',
      payload: JSON.stringify(failure),
      client: 'korpu',
    });
  }
}
