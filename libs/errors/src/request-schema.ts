import Ajv, { ErrorObject, ValidateFunction } from 'ajv';

/**
 * A request schema that is both the validation and the OpenAPI description of a request (one definition per
 * contract): plain JSON Schema in the subset OpenAPI 3.0 understands (type, properties, required, pattern,
 * min/maxLength, enum, oneOf, additionalProperties), compiled once.
 */
export type RequestSchema = Record<string, unknown>;

// verbose: a pattern error can quote the rule in words (the schema's description) instead of the expression.
const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, verbose: true });
// Query strings carry text only: "50" is the integer 50, "true" the boolean (the schema still says integer/boolean).
const coercingAjv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, coerceTypes: true, verbose: true });
const compiled = new WeakMap<RequestSchema, ValidateFunction>();
const compiledCoercing = new WeakMap<RequestSchema, ValidateFunction>();

function describe(error: ErrorObject): string {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  if (error.keyword === 'required') return `"${params.missingProperty}" is required`;
  const parent = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (error.keyword === 'additionalProperties') return `"${parent ? `${parent}.` : ''}${params.additionalProperty}" is not a field of this request`;
  const field = error.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'the body';
  const name = field === 'the body' ? field : `"${field}"`;
  const rule = (error.parentSchema as { description?: unknown } | undefined)?.description;
  if (error.keyword === 'pattern' && typeof rule === 'string') return `${name} does not follow its rule (${rule})`;
  // Ajv's own words ("must be <= 500"), with the field first.
  return `${name} ${error.message ?? error.keyword}`;
}

function validatorOf(schema: RequestSchema, coerce: boolean): ValidateFunction {
  const cache = coerce ? compiledCoercing : compiled;
  let validate = cache.get(schema);
  if (!validate) {
    validate = (coerce ? coercingAjv : ajv).compile(schema);
    cache.set(schema, validate);
  }
  return validate;
}

/** The problems of a request against its schema, one sentence each (first of each field only), or none. */
export function requestProblems(schema: RequestSchema, value: unknown, maxProblems = 20): string[] {
  return problemsOf(validatorOf(schema, false), value, maxProblems);
}

/** An ISO-8601 instant (date, or date and time with an optional offset or Z): the one rule of every `from`/`to`. */
export const INSTANT_SCHEMA: RequestSchema = {
  type: 'string',
  maxLength: 40,
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:?\\d{2})?)?$',
  description: 'ISO-8601, e.g. 2026-12-01T08:00:00Z',
};

// One compiled object schema per parameter schema and name: a fresh wrapper per call would be compiled anew each
// time (Ajv caches compiled schemas by object), costing a compilation per request and growing Ajv's cache forever.
const parameterWrappers = new WeakMap<RequestSchema, Map<string, RequestSchema>>();

/** Whether a single value (a path parameter) follows its documented schema. */
export function parameterValid(name: string, schema: RequestSchema, value: unknown): boolean {
  let byName = parameterWrappers.get(schema);
  if (!byName) parameterWrappers.set(schema, (byName = new Map()));
  let wrapper = byName.get(name);
  if (!wrapper) byName.set(name, (wrapper = { type: 'object', required: [name], properties: { [name]: schema } }));
  return validatorOf(wrapper, false)({ [name]: value }) === true;
}

/** A request read against its schema: the (coerced) fields, and every problem; no field is read twice elsewhere. */
export interface RequestReading {
  fields: Record<string, unknown>;
  problems: string[];
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A copy without the fields a form or a query leaves empty ("" or null): those mean "not given". */
function withoutEmpty(input: Record<string, unknown>, depth: number): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    if (value === '' || value === null || value === undefined) continue;
    copy[name] = depth > 0 && isPlainObject(value) ? withoutEmpty(value, depth - 1) : value;
  }
  return copy;
}

/**
 * Reads a query string or a JSON body against the schema the OpenAPI document publishes for it: no input is an
 * empty object, anything but an object is one problem (`what must be a JSON object`), empty fields are absent
 * (also one level down, e.g. a filter object), and text is coerced to the schema's integers and booleans.
 */
export function readRequest(schema: RequestSchema, input: unknown, what = 'the request body'): RequestReading {
  if (input === undefined || input === null) input = {};
  if (!isPlainObject(input)) return { fields: {}, problems: [`${what} must be a JSON object`] };
  const fields = withoutEmpty(input, 1);
  const validate = validatorOf(schema, true);
  const problems = problemsOf(validate, fields, 20);
  if (!problems.length) return { fields, problems };
  // The fields the schema refused are absent; the others stay, so a command can still say what else is wrong.
  for (const error of validate.errors ?? []) {
    const top = error.instancePath.split('/')[1];
    if (top !== undefined) delete fields[top.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return { fields, problems };
}

function problemsOf(validate: ValidateFunction, value: unknown, maxProblems: number): string[] {
  if (validate(value)) return [];
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const error of validate.errors ?? []) {
    const key = error.instancePath || (error.params as { missingProperty?: string }).missingProperty || error.keyword;
    // oneOf reports each branch; one sentence per field is enough.
    if (seen.has(key) && error.instancePath) continue;
    seen.add(key);
    problems.push(describe(error));
    if (problems.length >= maxProblems) break;
  }
  return problems;
}
