import { Logger } from '@nestjs/common';
import { Envelope, EnvelopeCodec } from '@korpu/envelope';
import { MessageConsumerFactory, Subscription, TopicNames } from '@korpu/messaging';

const logger = new Logger('AllReplies');

/**
 * Subscribes one process instance to every reply, in a consumer group of its own (`groupId` names the
 * instance), from now on, and hands each reply to `deliver`; the instance keeps those it waits for.
 */
export function subscribeToAllReplies(
  consumers: MessageConsumerFactory,
  topics: TopicNames,
  groupId: string,
  deliver: (reply: Envelope) => void,
): Promise<Subscription> {
  return consumers.subscribe({
    groupId,
    topics: [topics.replies],
    fromBeginning: false,
    handler: async (message) => {
      try {
        deliver(EnvelopeCodec.decode(message));
      } catch (error) {
        logger.warn(`Ignoring a malformed reply record at ${message.topic}[${message.partition}]@${message.offset}: ${String(error)}`);
      }
    },
  });
}
