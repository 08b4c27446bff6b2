import Ajv, { ErrorObject, ValidateFunction } from 'ajv';

/**
 * A request schema that is both the validation and the OpenAPI description of a request (one definition per
 * contract): plain JSON Schema in the subset OpenAPI 3.0 understands (type, properties, required, pattern,
 * min/maxLength, enum, oneOf, additionalProperties), compiled once.
 */
export type RequestSchema = Record<string, unknown>;

const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
const compiled = new WeakMap<RequestSchema, ValidateFunction>();

function describe(error: ErrorObject): string {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  if (error.keyword === 'required') return `"${params.missingProperty}" is required`;
  if (error.keyword === 'additionalProperties') return `"${params.additionalProperty}" is not a field of this request`;
  const field = error.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'the body';
  const name = field === 'the body' ? field : `"${field}"`;
  // Ajv's own words ("must match pattern ..."), with the field first; the schema's description says the rule.
  return `${name} ${error.message ?? error.keyword}`;
}

/** The problems of a request against its schema, one sentence each (first of each field only), or none. */
export function requestProblems(schema: RequestSchema, value: unknown, maxProblems = 20): string[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
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
