import Ajv2020, { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { SchemaViolation } from '../schema.exception';
import { PERSONAL_KEYWORD } from '../personal/personal-paths';

export interface JsonValidationResult {
  valid: boolean;
  violations: SchemaViolation[];
  /** More violations exist than were reported. */
  truncated: boolean;
}

export interface JsonValidatorLimits {
  maxViolations: number;
  /** Above this many JSON nodes a failing payload reports only its first violation (see `validate`). */
  fullReportNodeLimit: number;
}

/**
 * Compiles the JSON Schemas of a registry with Ajv (draft 2020-12, ajv-formats), twice: a fail-fast validator
 * (stops at the first error: the cost of accepting a good message and of rejecting most bad ones) and an
 * all-errors validator used only to describe a rejected payload.
 */
export class JsonPayloadValidators {
  private readonly failFast = createAjv(false);
  private readonly allErrors = createAjv(true);
  private readonly compiled = new Map<string, { first: ValidateFunction; all: ValidateFunction }>();

  constructor(private readonly limits: JsonValidatorLimits) {}

  /** Throws Ajv's error when the schema is invalid (strict mode: unknown keywords, bad types, duplicate `$id`). */
  add(key: string, schema: object): void {
    this.compiled.set(key, { first: this.failFast.compile(schema), all: this.allErrors.compile(schema) });
  }

  validate(key: string, payload: unknown): JsonValidationResult {
    const validator = this.compiled.get(key);
    if (!validator) throw new Error(`No JSON Schema compiled under '${key}'`);
    if (validator.first(payload)) return { valid: true, violations: [], truncated: false };

    // Ajv cannot stop after N errors: a huge, thoroughly wrong payload would allocate an error per node. Above
    // the node limit the first violation is all the caller gets.
    const { maxViolations, fullReportNodeLimit } = this.limits;
    if (!hasAtMostNodes(payload, fullReportNodeLimit)) {
      return { valid: false, violations: toViolations(validator.first.errors, maxViolations), truncated: true };
    }
    validator.all(payload);
    const errors = validator.all.errors ?? [];
    return { valid: false, violations: toViolations(errors, maxViolations), truncated: errors.length > maxViolations };
  }
}

function createAjv(allErrors: boolean): Ajv2020 {
  const ajv = new Ajv2020({ allErrors, strict: true, allowUnionTypes: true, messages: true });
  addFormats(ajv);
  // An annotation only (personal data, for PersonalDataMasker): strict mode would refuse it as unknown.
  ajv.addKeyword({ keyword: PERSONAL_KEYWORD, schemaType: 'boolean' });
  return ajv;
}

function toViolations(errors: ErrorObject[] | null | undefined, max: number): SchemaViolation[] {
  return (errors ?? []).slice(0, max).map((e) => ({
    pointer: pointerOf(e),
    rule: e.keyword,
    message: e.message ?? e.keyword,
  }));
}

/** Points at the offending property itself for `required` / `additionalProperties`, not at its parent. */
function pointerOf(error: ErrorObject): string {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const child =
    error.keyword === 'required'
      ? params.missingProperty
      : error.keyword === 'additionalProperties'
        ? params.additionalProperty
        : undefined;
  if (child === undefined) return error.instancePath;
  return `${error.instancePath}/${child.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Counts JSON nodes depth-first and stops as soon as the limit is passed: O(min(size, limit)). */
export function hasAtMostNodes(value: unknown, limit: number): boolean {
  let seen = 1;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    const children = Array.isArray(node) ? node : Object.values(node);
    seen += children.length;
    if (seen > limit) return false;
    for (const child of children) stack.push(child);
  }
  return true;
}
