import { FAILED_MESSAGE_STATUSES, FailedMessageFilter, FailedMessageStatus } from './failed-message';

/**
 * Reads untrusted input (a query string or a JSON body) field by field, collecting every problem, so a command
 * reports all that is wrong at once (FAILED_MESSAGE_REQUEST_INVALID with `problems`).
 */
export class InputReader {
  readonly problems: string[] = [];
  private readonly fields: Record<string, unknown>;

  constructor(input: unknown, what = 'the request body') {
    if (input === undefined || input === null) this.fields = {};
    else if (typeof input !== 'object' || Array.isArray(input)) {
      this.problems.push(`${what} must be a JSON object`);
      this.fields = {};
    } else this.fields = input as Record<string, unknown>;
  }

  has(name: string): boolean {
    return this.fields[name] !== undefined && this.fields[name] !== '';
  }

  raw(name: string): unknown {
    return this.fields[name];
  }

  string(name: string, options: { max?: number; pattern?: RegExp } = {}): string | undefined {
    const value = this.fields[name];
    if (value === undefined || value === '') return undefined;
    const max = options.max ?? 200;
    if (typeof value !== 'string' || value.length > max || (options.pattern && !options.pattern.test(value))) {
      this.problems.push(`"${name}" must be a string of at most ${max} characters${options.pattern ? ` matching ${options.pattern}` : ''}`);
      return undefined;
    }
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.fields[name];
    if (value === undefined || value === '') return undefined;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    this.problems.push(`"${name}" must be true or false`);
    return undefined;
  }

  integer(name: string, min: number, max: number): number | undefined {
    const value = this.fields[name];
    if (value === undefined || value === '') return undefined;
    const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
      this.problems.push(`"${name}" must be an integer from ${min} to ${max}`);
      return undefined;
    }
    return number;
  }

  instant(name: string): Date | undefined {
    const value = this.string(name, { max: 40 });
    if (value === undefined) return undefined;
    const parsed = Date.parse(value);
    if (Number.isNaN(parsed)) {
      this.problems.push(`"${name}" must be an ISO-8601 instant`);
      return undefined;
    }
    return new Date(parsed);
  }

  /** One value or a comma-separated list (`status=unresolved,replayed`), each from `allowed`. */
  list<T extends string>(name: string, allowed: readonly T[]): T[] | undefined {
    const value = this.fields[name];
    if (value === undefined || value === '') return undefined;
    const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
    const result: T[] = [];
    for (const item of items) {
      const text = typeof item === 'string' ? item.trim() : item;
      if (typeof text !== 'string' || !allowed.includes(text as T)) {
        this.problems.push(`"${name}" must be one or more of ${allowed.join(', ')}`);
        return undefined;
      }
      if (!result.includes(text as T)) result.push(text as T);
    }
    return result;
  }

  /** The operator's reason for an action (free text, kept in the audit trail). */
  reason(): string | undefined {
    return this.string('reason', { max: 1000 });
  }
}

const NAME = /^[A-Za-z0-9._:/@-]+$/;
const PRINTABLE = /^[^\u0000-\u001f\u007f]+$/;

/** The filter fields shared by the list, the groups and the bulk replay. */
export function readFilter(input: InputReader): FailedMessageFilter {
  const filter: FailedMessageFilter = {};
  const status = input.list<FailedMessageStatus>('status', FAILED_MESSAGE_STATUSES);
  if (status) filter.status = status;
  const service = input.string('service', { pattern: NAME });
  if (service) filter.service = service;
  const errorCode = input.string('errorCode', { pattern: NAME });
  if (errorCode) filter.errorCode = errorCode;
  const fingerprint = input.string('fingerprint', { pattern: /^[0-9a-f]{8,64}$/ });
  if (fingerprint) filter.fingerprint = fingerprint;
  const client = input.string('client', { pattern: NAME });
  if (client) filter.client = client;
  const messageType = input.string('messageType', { pattern: NAME });
  if (messageType) filter.messageType = messageType;
  const schemaVersion = input.string('schemaVersion', { max: 20, pattern: /^[0-9A-Za-z.-]+$/ });
  if (schemaVersion) filter.schemaVersion = schemaVersion;
  const partner = input.string('partner', { max: 100, pattern: /^[a-z0-9][a-z0-9-]*$/ });
  if (partner) filter.partner = partner;
  const messageId = input.string('messageId', { max: 300, pattern: PRINTABLE });
  if (messageId) filter.messageId = messageId;
  const correlationId = input.string('correlationId', { max: 300, pattern: PRINTABLE });
  if (correlationId) filter.correlationId = correlationId;
  const from = input.instant('from');
  if (from) filter.from = from;
  const to = input.instant('to');
  if (to) filter.to = to;
  if (from && to && from.getTime() >= to.getTime()) input.problems.push('"from" must be before "to"');
  const text = input.string('q', { max: 200 });
  if (text) filter.text = text.trim();
  return filter;
}

/** A message id from the path: any printable text of at most 300 characters. */
export function readMessageId(value: unknown, problems: string[]): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 300 || /[\u0000-\u001f\u007f]/.test(value)) {
    problems.push('the message id must be 1 to 300 printable characters');
    return '';
  }
  return value;
}

export function readOperator(value: unknown, problems: string[]): string {
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push('the operator is unknown');
    return '';
  }
  return value;
}
