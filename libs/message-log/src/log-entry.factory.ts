import { Envelope, serviceId } from '@korpu/envelope';
import type { LogEntry, LogEvent } from './log-record';

/** The log entry for an envelope at one event; `extra` adds or overrides fields (detail, encrypt...). */
export function logEntryFromEnvelope(envelope: Envelope, event: LogEvent, extra: Partial<LogEntry> = {}): LogEntry {
  const detail: Record<string, unknown> = {};
  if (envelope.attempt !== undefined) detail.attempt = envelope.attempt;
  if (envelope.replayOf !== undefined) detail.replayOf = envelope.replayOf;
  return {
    event,
    messageId: envelope.messageId,
    correlationId: envelope.correlationId,
    direction: envelope.direction,
    client: envelope.client,
    service: serviceId(envelope.service),
    messageType: envelope.messageType,
    schemaVersion: envelope.schemaVersion,
    contentType: envelope.contentType,
    payload: envelope.payload,
    inReplyTo: envelope.inReplyTo,
    signature: envelope.signature && {
      format: envelope.signature.format,
      value: envelope.signature.value,
      certificate: envelope.signature.certificate,
      verification: envelope.signature.verification,
    },
    ...(Object.keys(detail).length ? { detail } : {}),
    ...extra,
  };
}
