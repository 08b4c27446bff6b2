import { INSTANT_SCHEMA, RequestSchema, parameterValid, readRequest } from '@korpu/errors';
import { FAILED_MESSAGE_STATUSES, FailedMessageFilter, FailedMessageStatus } from './failed-message';

/**
 * Reads untrusted input (a query string or a JSON body) against its request schema — the same object the
 * controller hands to the OpenAPI document, so what is documented is what is checked — collecting every problem,
 * so a command reports all that is wrong at once (FAILED_MESSAGE_REQUEST_INVALID with `problems`). The accessors
 * check nothing themselves: a field the schema refused is absent.
 */
export class InputReader {
  readonly problems: string[];
  private readonly fields: Record<string, unknown>;

  /** `schema` null: `input` is a nested object its parent's schema already validated; problems go to the parent's list. */
  constructor(input: unknown, schema: RequestSchema | null, what = 'the request body', parentProblems?: string[]) {
    if (schema === null) {
      this.problems = parentProblems ?? [];
      this.fields = typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
      return;
    }
    const reading = readRequest(schema, input, what);
    this.problems = reading.problems;
    this.fields = reading.fields;
  }

  /** A reader over a nested object the parent schema already validated (e.g. `filter`). */
  static ofValidated(fields: unknown, problems: string[]): InputReader {
    return new InputReader(fields, null, undefined, problems);
  }

  has(name: string): boolean {
    return this.fields[name] !== undefined;
  }

  raw(name: string): unknown {
    return this.fields[name];
  }

  string(name: string): string | undefined {
    const value = this.fields[name];
    return typeof value === 'string' ? value : undefined;
  }

  boolean(name: string): boolean | undefined {
    const value = this.fields[name];
    return typeof value === 'boolean' ? value : undefined;
  }

  integer(name: string): number | undefined {
    const value = this.fields[name];
    return typeof value === 'number' ? value : undefined;
  }

  instant(name: string): Date | undefined {
    const value = this.string(name);
    return value === undefined ? undefined : new Date(Date.parse(value));
  }

  /** One value or a comma-separated list (`status=unresolved,replayed`), or the same name repeated. */
  list<T extends string>(name: string): T[] | undefined {
    const value = this.fields[name];
    if (value === undefined) return undefined;
    const items = (Array.isArray(value) ? value : String(value).split(',')).map((item) => String(item).trim());
    return [...new Set(items)] as T[];
  }

  /** The operator's reason for an action (free text, kept in the audit trail). */
  reason(): string | undefined {
    return this.string('reason');
  }
}

const NAME = '^[A-Za-z0-9._:/@-]+$';
const PRINTABLE = '^[^\\u0000-\\u001f\\u007f]+$';
const name = (description: string, maxLength = 200) => ({ type: 'string', maxLength, pattern: NAME, description });

/** One of `values`, several comma-separated, or the parameter repeated. */
export function listOf(values: readonly string[], description: string): Record<string, unknown> {
  const one = values.join('|');
  const rule = `${description}: one or more of ${values.join(', ')}, comma-separated`;
  return {
    description: rule,
    anyOf: [
      { type: 'string', maxLength: 500, pattern: `^\\s*(${one})\\s*(,\\s*(${one})\\s*)*$`, description: rule },
      { type: 'array', maxItems: values.length, items: { type: 'string', enum: [...values] } },
    ],
  };
}

/** The reason an operator gives for an action (kept in the audit trail). */
export const REASON_SCHEMA = { type: 'string', maxLength: 1000, description: 'Why (kept in the audit trail)' };

/** The filter fields shared by the list, the groups, the bulk replay and replay jobs (query parameters or a body's `filter`). */
export const FILTER_PROPERTIES: Record<string, Record<string, unknown>> = {
  status: listOf(FAILED_MESSAGE_STATUSES, 'Status'),
  partner: { type: 'string', maxLength: 100, pattern: '^[a-z0-9][a-z0-9-]*$', description: 'Partner id, e.g. tax-service' },
  service: name('partner/operation, e.g. tax-service/GetTaxpayer'),
  errorCode: name('Stable error code of the last failure, e.g. PARTNER_UNAVAILABLE'),
  fingerprint: { type: 'string', pattern: '^[0-9a-f]{8,64}$', description: 'Failure group (cause fingerprint)' },
  client: name('The subsystem that sent the message'),
  messageType: name('Message type'),
  schemaVersion: { type: 'string', maxLength: 20, pattern: '^[0-9A-Za-z.-]+$', description: 'Schema version' },
  messageId: { type: 'string', maxLength: 300, pattern: PRINTABLE, description: 'Exact message id' },
  correlationId: { type: 'string', maxLength: 300, pattern: PRINTABLE, description: 'Exact correlation id' },
  from: { ...INSTANT_SCHEMA, description: 'Last failure at or after (ISO-8601)' },
  to: { ...INSTANT_SCHEMA, description: 'Last failure before (ISO-8601)' },
  q: { type: 'string', maxLength: 200, description: 'Prefix of the message id or the correlation id' },
};

/** A body's `filter` object. */
export const FILTER_SCHEMA: RequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: FILTER_PROPERTIES,
  description: 'The list filters; status defaults to unresolved',
};

/** Reads the filter fields of a validated input (`from` before `to` is the one rule a schema cannot say). */
export function readFilter(input: InputReader): FailedMessageFilter {
  const filter: FailedMessageFilter = {};
  const status = input.list<FailedMessageStatus>('status');
  if (status) filter.status = status;
  for (const field of ['service', 'errorCode', 'fingerprint', 'client', 'messageType', 'schemaVersion', 'partner', 'messageId', 'correlationId'] as const) {
    const value = input.string(field);
    if (value) filter[field] = value;
  }
  const from = input.instant('from');
  if (from && !Number.isNaN(from.getTime())) filter.from = from;
  else if (from) input.problems.push('"from" is not a valid instant');
  const to = input.instant('to');
  if (to && !Number.isNaN(to.getTime())) filter.to = to;
  else if (to) input.problems.push('"to" is not a valid instant');
  if (filter.from && filter.to && filter.from.getTime() >= filter.to.getTime()) input.problems.push('"from" must be before "to"');
  const text = input.string('q');
  if (text) filter.text = text.trim();
  return filter;
}

/** The message id of a path: any printable text of at most 300 characters. */
export const MESSAGE_ID_PARAM_SCHEMA: RequestSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 300,
  pattern: PRINTABLE,
  description: '1 to 300 printable characters',
};

/** A path parameter checked against its documented schema (ApiParamFromSchema), or a problem naming it and its rule (the description). */
export function readPathParameter(nameOfParameter: string, schema: RequestSchema, value: unknown, problems: string[]): string {
  if (!parameterValid(nameOfParameter, schema, value)) {
    problems.push(`the ${nameOfParameter} must be ${schema.description as string}`);
    return '';
  }
  return value as string;
}

export function readMessageId(value: unknown, problems: string[]): string {
  return readPathParameter('message id', MESSAGE_ID_PARAM_SCHEMA, value, problems);
}

export function readOperator(value: unknown, problems: string[]): string {
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push('the operator is unknown');
    return '';
  }
  return value;
}

/** A body schema: an object of these properties and nothing else. */
export function bodySchema(properties: Record<string, unknown>, required: string[] = [], description?: string): RequestSchema {
  return { type: 'object', additionalProperties: false, properties, ...(required.length ? { required } : {}), ...(description ? { description } : {}) };
}
