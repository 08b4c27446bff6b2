/** What happened to a message when it was logged. */
export const LogEvent = {
  /** A request entered Körpü (from a ministry client or from a partner). */
  RECEIVED: 'received',
  /** A request left Körpü towards its partner. */
  SENT: 'sent',
  /** A partner's reply came back. */
  REPLY_RECEIVED: 'reply-received',
  /** A reply left Körpü towards the client that asked. */
  REPLY_SENT: 'reply-sent',
  /** Delivery or processing failed (detail holds the error code). */
  FAILED: 'failed',
  /** An operator replayed the message (detail holds the reason). */
  REPLAYED: 'replayed',
  /** Refused at the boundary (bad signature, schema violation...) before entering the exchange. */
  REJECTED: 'rejected',
} as const;
export type LogEvent = (typeof LogEvent)[keyof typeof LogEvent];

export const LOG_EVENTS: readonly LogEvent[] = Object.values(LogEvent);

export type SignatureVerification = 'signed' | 'verified' | 'failed';

/** The signature that protected the message at the boundary it crossed. */
export interface LogSignature {
  format?: 'jws' | 'xmldsig';
  value: string;
  /** PEM of the signer's certificate. */
  certificate?: string;
  /** `signed`: we signed it; `verified` / `failed`: result of verifying a partner's signature. */
  verification?: SignatureVerification;
}

/** What a caller appends. */
export interface LogEntry {
  event: LogEvent;
  messageId: string;
  correlationId: string;
  /** `outbound` | `inbound` | `reply` (the envelope's direction). */
  direction: string;
  client: string;
  /** `partner/operation`. */
  service: string;
  messageType: string;
  schemaVersion: string;
  /** When the event happened (ISO-8601; default: now). Stored with millisecond precision. */
  occurredAt?: string;
  contentType?: string;
  payload?: string;
  /** For replies: the request's message id. */
  inReplyTo?: string;
  signature?: LogSignature;
  /** Anything else worth keeping (error code, attempt, replay reason). Stored as JSON. */
  detail?: Record<string, unknown>;
  /**
   * Encrypt the payload at rest. Default: yes when the log has an active encryption key.
   * `true` without an active key is refused.
   */
  encrypt?: boolean;
}

/**
 * A record exactly as stored and chained: `payload` is the stored text (ciphertext when `payloadKeyId` is set).
 * This is what archives hold and what the hash covers, so verification never needs a key.
 */
export interface ChainedRecord {
  seq: number;
  event: string;
  messageId: string;
  correlationId: string;
  direction: string;
  client: string;
  service: string;
  messageType: string;
  schemaVersion: string;
  /** ISO-8601, milliseconds. */
  occurredAt: string;
  /** When the log wrote it (database clock), ISO-8601, milliseconds. */
  loggedAt: string;
  contentType: string | null;
  payload: string | null;
  payloadKeyId: string | null;
  inReplyTo: string | null;
  signatureFormat: string | null;
  signatureValue: string | null;
  signerCertificate: string | null;
  signatureVerification: string | null;
  detail: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}

/** A record as read back through MessageLog: the payload decrypted when the key is available. */
export interface LogRecord extends Omit<ChainedRecord, 'payload'> {
  /** The plaintext payload; null when there is none, or when it is encrypted with a key this process lacks. */
  payload: string | null;
  /** Set when the payload is stored encrypted (the ciphertext as stored, covered by the hash). */
  encryptedPayload: string | null;
}

/** Filters of MessageLog.read (all optional, combined with AND); results are ordered by seq. */
export interface LogQuery {
  messageId?: string;
  correlationId?: string;
  event?: LogEvent;
  /** Records with seq >= fromSeq. */
  fromSeq?: number;
  /** loggedAt >= since (ISO-8601). */
  since?: string;
  /** loggedAt < until (ISO-8601). */
  until?: string;
  /** Default 100, at most 1000. */
  limit?: number;
}
