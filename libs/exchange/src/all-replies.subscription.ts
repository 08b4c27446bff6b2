import { Logger } from '@nestjs/common';
import { Envelope, EnvelopeCodec } from '@korpu/envelope';
import { EntryPoint, IncomingMessage, TopicNames } from '@korpu/messaging';

const logger = new Logger('AllReplies');

/**
 * The entry point of one process instance that reads every reply, in a consumer group of its own (`groupId` names
 * the instance), from now on, and hands each to `deliver`; the instance keeps those it waits for. An unreadable
 * record is only logged here: this group is one reader among many and owns no reply (the dispatcher recorded each
 * before publishing it), so none of them sets it aside.
 */
export function allRepliesEntryPoint(topics: TopicNames, name: string, groupId: string, deliver: (reply: Envelope) => void): EntryPoint<Envelope> {
  return {
    name,
    groupId,
    topics: [topics.replies],
    fromBeginning: false,
    decode: (record) => EnvelopeCodec.decode(record),
    undecodable: async (record: IncomingMessage) => {
      logger.warn(`Ignoring an unreadable reply record at ${record.topic}[${record.partition}]@${record.offset}`);
    },
    handle: async (reply) => {
      deliver(reply);
    },
  };
}
