import { EnvelopeHeader } from '@korpu/envelope';
import type { OutgoingMessage } from '@korpu/messaging';
import { stripDeadLetterHeaders } from '../dead-letter-headers';
import { FailedMessage } from '../failed-message';

export interface ReplayRecord {
  topic: string;
  record: OutgoingMessage;
  /** The payload published: the edited one when the operator edited it, else the original. */
  payload: string;
}

/**
 * The record a replay publishes: the ORIGINAL record (same key, same message id, same headers) to its original
 * topic, with every `korpu-dlq-*` header stripped and `korpu-attempt` reset to 1.
 *
 * `korpu-replay-of` (EnvelopeHeader.REPLAY_OF) is set — to the operator's replay id — only when `force` is true:
 * the dispatcher does not send again a message whose reply it already recorded unless `replayOf` is set, so a
 * normal replay keeps that idempotency check and a forced one makes the partner receive the message again.
 *
 * With an edited payload the value is the edited payload and the envelope's signature header is dropped: it
 * covered the original payload and would not verify (the dispatcher signs what it sends to the partner).
 */
export function replayRecord(message: FailedMessage, options: { replayId: string; force: boolean }): ReplayRecord {
  if (!message.originalTopic) throw new Error(`failed message ${message.messageId} has no original topic`);
  const headers = stripDeadLetterHeaders(message.headers);
  delete headers[EnvelopeHeader.REPLAY_OF];
  headers[EnvelopeHeader.ATTEMPT] = '1';
  if (options.force) headers[EnvelopeHeader.REPLAY_OF] = options.replayId;
  const payload = message.editedPayload ?? message.payload;
  if (message.editedPayload !== null) delete headers[EnvelopeHeader.SIGNATURE];
  return {
    topic: message.originalTopic,
    payload,
    record: { key: message.key ?? message.correlationId ?? message.messageId, headers, value: Buffer.from(payload, 'utf8') },
  };
}
