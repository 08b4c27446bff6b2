import { X509Certificate } from 'node:crypto';
import { ExchangeDurations, ExchangeHops, OperationalRecord, OperationalRecordInput, ReplySigner } from '../operational-record';

/** Bytes of a payload as it travels (UTF-8): X-Road's requestSize / responseSize, without the envelope around it. */
export function payloadSize(payload: string | undefined): number | undefined {
  return payload === undefined ? undefined : Buffer.byteLength(payload, 'utf8');
}

function between(from: string | undefined, to: string | undefined): number | undefined {
  if (from === undefined || to === undefined) return undefined;
  const ms = Date.parse(to) - Date.parse(from);
  // Clocks of two hosts (the broker's timestamp, another app) may disagree by a little: never a negative duration.
  return Number.isFinite(ms) ? Math.max(0, Math.round(ms)) : undefined;
}

/** The durations between the hops an exchange passed through. */
export function exchangeDurations(hops: ExchangeHops): ExchangeDurations {
  const durations: ExchangeDurations = {
    acceptMs: between(hops.requestInAt, hops.requestQueuedAt),
    queueMs: between(hops.requestQueuedAt, hops.requestPickedAt),
    prepareMs: between(hops.requestPickedAt, hops.requestOutAt),
    partnerMs: between(hops.requestOutAt, hops.responseInAt),
    replyMs: between(hops.responseInAt, hops.responseOutAt),
    totalMs: between(hops.requestInAt, hops.responseOutAt),
  };
  return Object.fromEntries(Object.entries(durations).filter(([, value]) => value !== undefined)) as ExchangeDurations;
}

/** Signers already read, by PEM: a partner signs every reply with the same few certificates (parsing one was ~2 % of the dispatcher's CPU). */
const signers = new Map<string, ReplySigner | undefined>();
const SIGNERS_KEPT = 256;

/** Subject, serial and issuer of the certificate that signed a reply (PEM), or undefined when it cannot be read. */
export function replySignerOf(certificatePem: string | undefined): ReplySigner | undefined {
  if (!certificatePem) return undefined;
  if (signers.has(certificatePem)) return signers.get(certificatePem);
  let signer: ReplySigner | undefined;
  try {
    const certificate = new X509Certificate(certificatePem);
    const dn = (text: string) => text.split('\n').filter(Boolean).join(', ');
    signer = Object.freeze({ subject: dn(certificate.subject), serialNumber: certificate.serialNumber.toUpperCase(), issuer: dn(certificate.issuer) });
  } catch {
    signer = undefined;
  }
  if (signers.size >= SIGNERS_KEPT) signers.delete(signers.keys().next().value as string);
  signers.set(certificatePem, signer);
  return signer;
}

/** Instants as ISO-8601 from whatever the caller holds (ms since epoch or Date); undefined stays absent. */
export function instant(at: number | Date | undefined): string | undefined {
  if (at === undefined) return undefined;
  const date = at instanceof Date ? at : new Date(at);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * The stored record of an exchange: the input as the use case knows it, its service split into partner and
 * operation, its durations, and who wrote it. Hops are normalised to ISO-8601 and dropped when absent or unreadable.
 */
export function buildOperationalRecord(
  input: OperationalRecordInput,
  meta: { id: string; app: string; instanceId: string; now?: Date },
): OperationalRecord {
  const slash = input.service.indexOf('/');
  const hops = Object.fromEntries(
    Object.entries(input.hops)
      .map(([name, at]) => [name, instant(at === undefined ? undefined : new Date(at))])
      .filter(([, at]) => at !== undefined),
  ) as unknown as ExchangeHops;
  // Every record has a start (the paging key): one whose start cannot be read starts when it is recorded.
  if (!hops.requestInAt) hops.requestInAt = (meta.now ?? new Date()).toISOString();
  return {
    ...input,
    hops,
    id: meta.id,
    partner: slash > 0 ? input.service.slice(0, slash) : input.service,
    operation: slash > 0 ? input.service.slice(slash + 1) : '',
    durations: exchangeDurations(hops),
    app: meta.app,
    instanceId: meta.instanceId,
  };
}
