/**
 * The life of a message in Körpü. Ranks order the normal path, so an event that arrives late
 * (a redelivered "dispatched" after "replied") never moves a message backwards.
 */
export const MessageStatus = {
  /** A caller-chosen id is held while its message is being queued (not accepted yet: Kafka does not hold it). */
  CLAIMED: 'claimed',
  ACCEPTED: 'accepted',
  DISPATCHED: 'dispatched',
  DELIVERED: 'delivered',
  REPLIED: 'replied',
  RETRYING: 'retrying',
  FAILED: 'failed',
} as const;
export type MessageStatus = (typeof MessageStatus)[keyof typeof MessageStatus];

export const STATUS_RANK: Record<MessageStatus, number> = {
  claimed: 0,
  accepted: 1,
  dispatched: 2,
  retrying: 2,
  delivered: 3,
  replied: 4,
  failed: 5,
};

export interface MessageEvent {
  status: MessageStatus;
  at: string;
  detail?: Record<string, unknown>;
}

export interface MessageRecord {
  messageId: string;
  correlationId: string;
  client: string;
  service: string;
  messageType: string;
  schemaVersion: string;
  direction: string;
  status: MessageStatus;
  createdAt: string;
  updatedAt: string;
  attempts: number;
  reply?: { messageId: string; messageType: string; schemaVersion: string; contentType: string; payload: string };
  error?: { code: string; message: string };
  history: MessageEvent[];
  /** The message's OpenTelemetry trace (32 hex digits), when it was accepted with tracing on. */
  traceId?: string;
}
