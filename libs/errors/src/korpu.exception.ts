/**
 * The one base for every domain error in Körpü. Each capability declares its own codes
 * (a string enum) and throws subclasses of this; transports map `code`/`status` to the wire
 * (problem+json for REST, SOAP Fault for SOAP, retry-or-dead-letter for Kafka).
 */
export interface KorpuErrorOptions {
  /** HTTP status the REST filter answers with; SOAP maps 4xx to Client faults and 5xx to Server faults. */
  status: number;
  /** Whether retrying the same message may succeed (read by the retry policy, nothing else). */
  retryable?: boolean;
  /** Structured detail safe to show to the caller (e.g. schema violations). */
  details?: Record<string, unknown>;
  cause?: unknown;
  /**
   * Logged where it was raised, throttled there (a refusal that comes in bursts: an overload): the REST filter does
   * not log it again for each request.
   */
  loggedAtSource?: boolean;
}

export class KorpuException<TCode extends string = string> extends Error {
  readonly status: number;
  readonly retryable: boolean;
  readonly details?: Record<string, unknown>;
  readonly loggedAtSource: boolean;

  constructor(
    readonly code: TCode,
    message: string,
    options: KorpuErrorOptions,
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
    this.loggedAtSource = options.loggedAtSource ?? false;
  }
}

export function isKorpuException(error: unknown): error is KorpuException {
  return error instanceof KorpuException;
}

/**
 * A refusal of the request for what it is: a 4xx that sending it again unchanged will not turn (schema, access, a
 * conflicting id...), as opposed to a retryable answer (503, "in progress") or a fault of ours (5xx).
 */
export function isFinalRefusal(error: unknown): error is KorpuException {
  return isKorpuException(error) && error.status >= 400 && error.status < 500 && !error.retryable;
}
