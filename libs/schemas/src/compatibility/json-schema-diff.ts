import { Difference, DifferenceType as T, isCompatibleChange } from './difference-type';

/** A JSON Schema document or subschema (2020-12; draft-07 `items` arrays / `additionalItems` / `dependencies` are understood too). */
export type JsonSchema = boolean | { [keyword: string]: unknown };
type SchemaObject = { [keyword: string]: unknown };

/** Keywords that assert nothing; a schema made only of these is the empty schema. */
const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$anchor',
  '$dynamicAnchor',
  '$comment',
  '$defs',
  'definitions',
  '$vocabulary',
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'contentMediaType',
  'contentEncoding',
]);
const COMBINATORS = ['allOf', 'anyOf', 'oneOf'] as const;
type Criterion = (typeof COMBINATORS)[number];
const OBJECT_KEYWORDS = [
  'properties',
  'required',
  'additionalProperties',
  'patternProperties',
  'minProperties',
  'maxProperties',
  'dependentRequired',
  'dependentSchemas',
  'dependencies',
  'propertyNames',
  'unevaluatedProperties',
];
const ARRAY_KEYWORDS = [
  'items',
  'prefixItems',
  'additionalItems',
  'minItems',
  'maxItems',
  'uniqueItems',
  'contains',
  'minContains',
  'maxContains',
];
const STRING_KEYWORDS = ['minLength', 'maxLength', 'pattern', 'format'];
const NUMBER_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'];

type Kind =
  'false' | 'empty' | 'combined' | 'not' | 'enum' | 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

interface Normalized {
  kind: Kind;
  /** The schema object the node stands for (`true`/`false` become `{}`). */
  schema: SchemaObject;
  criterion?: Criterion;
  subschemas?: JsonSchema[];
  integer?: boolean;
}

/** The two documents a comparison walks; `$ref`s resolve against the side's own root. */
interface Roots {
  original: JsonSchema;
  update: JsonSchema;
}

class DiffContext {
  readonly differences: Difference[] = [];

  constructor(
    private readonly path: string[],
    readonly inProgress: Map<object, Set<object>>,
  ) {}

  subcontext(): DiffContext {
    return new DiffContext([...this.path], this.inProgress);
  }

  enter(segment: string, body: () => void): void {
    this.path.push(segment);
    try {
      body();
    } finally {
      this.path.pop();
    }
  }

  add(type: T, attribute?: string): void {
    const segments = attribute === undefined ? this.path : [...this.path, attribute];
    this.differences.push({ type, path: '#/' + segments.join('/') });
  }

  addAll(differences: readonly Difference[]): void {
    this.differences.push(...differences);
  }

  isCompatible(): boolean {
    return this.differences.every((d) => isCompatibleChange(d.type));
  }
}

/**
 * Lists the differences between two JSON Schemas, as Confluent Schema Registry's `SchemaDiff.compare(original, update)`
 * does: `original` is the schema the data was written with, `update` the one that reads it. A difference whose type is
 * not in COMPATIBLE_CHANGES means some data valid under `original` may be rejected by `update`.
 */
export function diffJsonSchemas(original: JsonSchema, update: JsonSchema): Difference[] {
  const ctx = new DiffContext([], new Map());
  compare(ctx, original, update, { original, update });
  return ctx.differences;
}

function compare(
  ctx: DiffContext,
  original: JsonSchema | undefined,
  update: JsonSchema | undefined,
  roots: Roots,
): void {
  if (original === undefined && update === undefined) return;
  if (original === undefined) return ctx.add(T.SCHEMA_ADDED);
  if (update === undefined) return ctx.add(T.SCHEMA_REMOVED);

  const o = normalize(original, roots.original);
  const u = normalize(update, roots.update);

  if (o.kind !== 'combined' && u.kind === 'combined') {
    const subs = u.subschemas ?? [];
    if (subs.length === 1) {
      const sub = ctx.subcontext();
      compare(sub, original, subs[0], roots);
      if (sub.isCompatible()) return ctx.addAll(sub.differences);
    } else if (u.criterion === 'anyOf' || u.criterion === 'oneOf') {
      for (const candidate of subs) {
        const sub = ctx.subcontext();
        compare(sub, original, candidate, roots);
        if (sub.isCompatible()) {
          ctx.addAll(sub.differences);
          return ctx.add(T.SUM_TYPE_EXTENDED);
        }
      }
    }
  } else if (o.kind === 'combined' && u.kind !== 'combined') {
    const subs = o.subschemas ?? [];
    if (subs.length === 1) {
      const sub = ctx.subcontext();
      compare(sub, subs[0], update, roots);
      if (sub.isCompatible()) return ctx.addAll(sub.differences);
    }
  }

  if (o.kind !== u.kind) {
    // A reader with the empty schema accepts anything; a writer with `false` wrote nothing.
    if (o.kind === 'false' || u.kind === 'empty') return;
    return ctx.add(T.TYPE_CHANGED);
  }

  // Recursive schemas: a pair met again while still being compared is taken as compatible.
  let seen = ctx.inProgress.get(o.schema);
  if (seen?.has(u.schema)) return;
  if (!seen) ctx.inProgress.set(o.schema, (seen = new Set()));
  seen.add(u.schema);
  try {
    compareAnnotations(ctx, o.schema, u.schema);
    switch (o.kind) {
      case 'false':
      case 'empty':
      case 'boolean':
      case 'null':
        compareEnum(ctx, o.schema, u.schema);
        break;
      case 'enum':
        compareEnum(ctx, o.schema, u.schema);
        break;
      case 'string':
        compareString(ctx, o.schema, u.schema);
        compareEnum(ctx, o.schema, u.schema);
        break;
      case 'number':
        compareNumber(ctx, o, u);
        compareEnum(ctx, o.schema, u.schema);
        break;
      case 'object':
        compareObject(ctx, o.schema, u.schema, roots);
        compareEnum(ctx, o.schema, u.schema);
        break;
      case 'array':
        compareArray(ctx, o.schema, u.schema, roots);
        compareEnum(ctx, o.schema, u.schema);
        break;
      case 'combined':
        compareCombined(ctx, o, u, roots);
        break;
      case 'not':
        ctx.enter('not', () => {
          const sub = ctx.subcontext();
          // Reversed: what the reader must not match may only grow.
          compare(sub, u.schema.not as JsonSchema, o.schema.not as JsonSchema, {
            original: roots.update,
            update: roots.original,
          });
          ctx.add(sub.isCompatible() ? T.NOT_TYPE_NARROWED : T.NOT_TYPE_EXTENDED);
        });
        break;
    }
  } finally {
    seen.delete(u.schema);
  }
}

function compareAnnotations(ctx: DiffContext, o: SchemaObject, u: SchemaObject): void {
  if (!sameJson(o.$id, u.$id)) ctx.add(T.ID_CHANGED);
  if (!sameJson(o.title, u.title)) ctx.add(T.TITLE_CHANGED);
  if (!sameJson(o.description, u.description)) ctx.add(T.DESCRIPTION_CHANGED);
  if (!sameJson(o.default, u.default)) ctx.add(T.DEFAULT_CHANGED);
}

function compareBound(
  ctx: DiffContext,
  keyword: string,
  o: unknown,
  u: unknown,
  types: { added: T; removed: T; increased: T; decreased: T },
): void {
  const a = typeof o === 'number' ? o : undefined;
  const b = typeof u === 'number' ? u : undefined;
  if (a === b) return;
  if (a === undefined) ctx.add(types.added, keyword);
  else if (b === undefined) ctx.add(types.removed, keyword);
  else ctx.add(a < b ? types.increased : types.decreased, keyword);
}

function compareString(ctx: DiffContext, o: SchemaObject, u: SchemaObject): void {
  compareBound(ctx, 'maxLength', o.maxLength, u.maxLength, {
    added: T.MAX_LENGTH_ADDED,
    removed: T.MAX_LENGTH_REMOVED,
    increased: T.MAX_LENGTH_INCREASED,
    decreased: T.MAX_LENGTH_DECREASED,
  });
  compareBound(ctx, 'minLength', o.minLength, u.minLength, {
    added: T.MIN_LENGTH_ADDED,
    removed: T.MIN_LENGTH_REMOVED,
    increased: T.MIN_LENGTH_INCREASED,
    decreased: T.MIN_LENGTH_DECREASED,
  });
  compareKeywordValue(ctx, 'pattern', o.pattern, u.pattern, T.PATTERN_ADDED, T.PATTERN_REMOVED, T.PATTERN_CHANGED);
  compareKeywordValue(ctx, 'format', o.format, u.format, T.FORMAT_ADDED, T.FORMAT_REMOVED, T.FORMAT_CHANGED);
}

function compareKeywordValue(
  ctx: DiffContext,
  keyword: string,
  o: unknown,
  u: unknown,
  added: T,
  removed: T,
  changed: T,
): void {
  if (o === undefined && u !== undefined) ctx.add(added, keyword);
  else if (o !== undefined && u === undefined) ctx.add(removed, keyword);
  else if (o !== undefined && !sameJson(o, u)) ctx.add(changed, keyword);
}

function compareNumber(ctx: DiffContext, o: Normalized, u: Normalized): void {
  const a = o.schema;
  const b = u.schema;
  compareBound(ctx, 'maximum', a.maximum, b.maximum, {
    added: T.MAXIMUM_ADDED,
    removed: T.MAXIMUM_REMOVED,
    increased: T.MAXIMUM_INCREASED,
    decreased: T.MAXIMUM_DECREASED,
  });
  compareBound(ctx, 'minimum', a.minimum, b.minimum, {
    added: T.MINIMUM_ADDED,
    removed: T.MINIMUM_REMOVED,
    increased: T.MINIMUM_INCREASED,
    decreased: T.MINIMUM_DECREASED,
  });
  compareBound(ctx, 'exclusiveMaximum', a.exclusiveMaximum, b.exclusiveMaximum, {
    added: T.EXCLUSIVE_MAXIMUM_ADDED,
    removed: T.EXCLUSIVE_MAXIMUM_REMOVED,
    increased: T.EXCLUSIVE_MAXIMUM_INCREASED,
    decreased: T.EXCLUSIVE_MAXIMUM_DECREASED,
  });
  compareBound(ctx, 'exclusiveMinimum', a.exclusiveMinimum, b.exclusiveMinimum, {
    added: T.EXCLUSIVE_MINIMUM_ADDED,
    removed: T.EXCLUSIVE_MINIMUM_REMOVED,
    increased: T.EXCLUSIVE_MINIMUM_INCREASED,
    decreased: T.EXCLUSIVE_MINIMUM_DECREASED,
  });
  const m = typeof a.multipleOf === 'number' ? a.multipleOf : undefined;
  const n = typeof b.multipleOf === 'number' ? b.multipleOf : undefined;
  if (m !== n) {
    if (m === undefined) ctx.add(T.MULTIPLE_OF_ADDED, 'multipleOf');
    else if (n === undefined) ctx.add(T.MULTIPLE_OF_REMOVED, 'multipleOf');
    else if (isWholeMultiple(n, m)) ctx.add(T.MULTIPLE_OF_EXPANDED, 'multipleOf');
    else if (isWholeMultiple(m, n)) ctx.add(T.MULTIPLE_OF_REDUCED, 'multipleOf');
    else ctx.add(T.MULTIPLE_OF_CHANGED, 'multipleOf');
  }
  if (o.integer !== u.integer) ctx.add(o.integer ? T.TYPE_EXTENDED : T.TYPE_NARROWED);
}

function isWholeMultiple(value: number, of: number): boolean {
  const ratio = value / of;
  return Math.abs(ratio - Math.round(ratio)) < 1e-9;
}

function compareEnum(ctx: DiffContext, o: SchemaObject, u: SchemaObject): void {
  const a = enumValues(o);
  const b = enumValues(u);
  if (!a && !b) return;
  // A keyword only on one side: an unbounded value set became bounded (or the reverse).
  if (!a) return ctx.add(T.ENUM_ARRAY_NARROWED, 'enum');
  if (!b) return ctx.add(T.ENUM_ARRAY_EXTENDED, 'enum');
  if (a.size === b.size && [...a].every((v) => b.has(v))) return;
  if ([...a].every((v) => b.has(v))) ctx.add(T.ENUM_ARRAY_EXTENDED, 'enum');
  else if ([...b].every((v) => a.has(v))) ctx.add(T.ENUM_ARRAY_NARROWED, 'enum');
  else ctx.add(T.ENUM_ARRAY_CHANGED, 'enum');
}

function enumValues(s: SchemaObject): Set<string> | undefined {
  if (Array.isArray(s.enum)) return new Set(s.enum.map(canonicalJson));
  if ('const' in s) return new Set([canonicalJson(s.const)]);
  return undefined;
}

// ---------------------------------------------------------------- objects

function compareObject(ctx: DiffContext, o: SchemaObject, u: SchemaObject, roots: Roots): void {
  const oProps = asRecord(o.properties);
  const uProps = asRecord(u.properties);
  const oRequired = new Set(asStrings(o.required));
  const uRequired = new Set(asStrings(u.required));

  ctx.enter('required', () => {
    for (const key of Object.keys(oProps)) {
      if (!(key in uProps)) continue;
      const was = oRequired.has(key);
      const is = uRequired.has(key);
      if (was && !is) ctx.add(T.REQUIRED_ATTRIBUTE_REMOVED, escapePointer(key));
      else if (!was && is) {
        ctx.add(
          hasDefault(uProps[key], roots.update) ? T.REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED : T.REQUIRED_ATTRIBUTE_ADDED,
          escapePointer(key),
        );
      }
    }
  });

  ctx.enter('properties', () => {
    for (const key of union(Object.keys(oProps), Object.keys(uProps))) {
      ctx.enter(escapePointer(key), () => {
        const op = oProps[key];
        const up = uProps[key];
        if (up === undefined) {
          // Only the reader's content model matters: it may drop a property only if it still accepts it.
          if (isOpenObject(u)) return ctx.add(T.PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL);
          const partial = schemaFromPartiallyOpenObject(u, key);
          if (partial !== undefined) {
            const sub = ctx.subcontext();
            compare(sub, op, partial, roots);
            ctx.addAll(sub.differences);
            return ctx.add(
              sub.isCompatible()
                ? T.PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                : T.PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
            );
          }
          return ctx.add(
            op === false
              ? T.PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL
              : T.PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL,
          );
        }
        if (op === undefined) {
          // Only the writer's content model matters: an open writer may have put anything under this name.
          if (isOpenObject(o)) {
            return ctx.add(
              normalize(up, roots.update).kind === 'empty'
                ? T.PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL
                : T.PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL,
            );
          }
          const partial = schemaFromPartiallyOpenObject(o, key);
          if (partial !== undefined) {
            const sub = ctx.subcontext();
            compare(sub, partial, up, roots);
            ctx.addAll(sub.differences);
            ctx.add(
              sub.isCompatible()
                ? T.PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                : T.PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
            );
          }
          if (uRequired.has(key)) {
            return ctx.add(
              hasDefault(up, roots.update)
                ? T.REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL
                : T.REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL,
            );
          }
          return ctx.add(T.OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL);
        }
        compare(ctx, op, up, roots);
      });
    }
  });

  compareDependencies(ctx, o, u, roots);

  ctx.enter('additionalProperties', () => {
    const oAdditional = additionalPropertiesOf(o);
    const uAdditional = additionalPropertiesOf(u);
    const oPermits = oAdditional !== false;
    const uPermits = uAdditional !== false;
    const oSchema = typeof oAdditional === 'object' ? oAdditional : undefined;
    const uSchema = typeof uAdditional === 'object' ? uAdditional : undefined;
    if (oPermits !== uPermits) ctx.add(uPermits ? T.ADDITIONAL_PROPERTIES_ADDED : T.ADDITIONAL_PROPERTIES_REMOVED);
    else if (!oSchema && uSchema) ctx.add(T.ADDITIONAL_PROPERTIES_NARROWED);
    else if (oSchema && !uSchema) ctx.add(T.ADDITIONAL_PROPERTIES_EXTENDED);
    else if (oSchema && uSchema) compare(ctx, oSchema, uSchema, roots);
  });

  compareBound(ctx, 'maxProperties', o.maxProperties, u.maxProperties, {
    added: T.MAX_PROPERTIES_ADDED,
    removed: T.MAX_PROPERTIES_REMOVED,
    increased: T.MAX_PROPERTIES_INCREASED,
    decreased: T.MAX_PROPERTIES_DECREASED,
  });
  compareBound(ctx, 'minProperties', o.minProperties, u.minProperties, {
    added: T.MIN_PROPERTIES_ADDED,
    removed: T.MIN_PROPERTIES_REMOVED,
    increased: T.MIN_PROPERTIES_INCREASED,
    decreased: T.MIN_PROPERTIES_DECREASED,
  });
}

function compareDependencies(ctx: DiffContext, o: SchemaObject, u: SchemaObject, roots: Roots): void {
  const oArrays = dependencyArrays(o);
  const uArrays = dependencyArrays(u);
  const oSchemas = dependencySchemas(o);
  const uSchemas = dependencySchemas(u);
  if (oArrays.size + uArrays.size + oSchemas.size + uSchemas.size === 0) return;
  const keyword =
    'dependentRequired' in o || 'dependentRequired' in u || 'dependentSchemas' in o || 'dependentSchemas' in u
      ? 'dependentRequired'
      : 'dependencies';
  ctx.enter(keyword, () => {
    for (const key of union([...oArrays.keys()], [...uArrays.keys()])) {
      const a = oArrays.get(key);
      const b = uArrays.get(key);
      ctx.enter(escapePointer(key), () => {
        if (!b) return ctx.add(T.DEPENDENCY_ARRAY_REMOVED);
        if (!a) return ctx.add(T.DEPENDENCY_ARRAY_ADDED);
        const aSet = new Set(a);
        const bSet = new Set(b);
        if (aSet.size === bSet.size && a.every((x) => bSet.has(x))) return;
        if (a.every((x) => bSet.has(x))) ctx.add(T.DEPENDENCY_ARRAY_EXTENDED);
        else if (b.every((x) => aSet.has(x))) ctx.add(T.DEPENDENCY_ARRAY_NARROWED);
        else ctx.add(T.DEPENDENCY_ARRAY_CHANGED);
      });
    }
  });
  ctx.enter(keyword === 'dependencies' ? 'dependencies' : 'dependentSchemas', () => {
    for (const key of union([...oSchemas.keys()], [...uSchemas.keys()])) {
      const a = oSchemas.get(key);
      const b = uSchemas.get(key);
      ctx.enter(escapePointer(key), () => {
        if (b === undefined) return ctx.add(T.DEPENDENCY_SCHEMA_REMOVED);
        if (a === undefined) return ctx.add(T.DEPENDENCY_SCHEMA_ADDED);
        compare(ctx, a, b, roots);
      });
    }
  });
}

function dependencyArrays(s: SchemaObject): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, value] of Object.entries({ ...asRecord(s.dependencies), ...asRecord(s.dependentRequired) })) {
    if (Array.isArray(value)) out.set(key, asStrings(value));
  }
  return out;
}

function dependencySchemas(s: SchemaObject): Map<string, JsonSchema> {
  const out = new Map<string, JsonSchema>();
  for (const [key, value] of Object.entries({ ...asRecord(s.dependencies), ...asRecord(s.dependentSchemas) })) {
    if (!Array.isArray(value) && isSchema(value)) out.set(key, value);
  }
  return out;
}

/** `additionalProperties`, or `unevaluatedProperties` standing in for it; `undefined` means absent (open). */
function additionalPropertiesOf(s: SchemaObject): JsonSchema | undefined {
  const value = 'additionalProperties' in s ? s.additionalProperties : s.unevaluatedProperties;
  return isSchema(value) ? value : undefined;
}

function isOpenObject(s: SchemaObject): boolean {
  const additional = additionalPropertiesOf(s);
  return Object.keys(asRecord(s.patternProperties)).length === 0 && (additional === undefined || additional === true);
}

function schemaFromPartiallyOpenObject(s: SchemaObject, key: string): JsonSchema | undefined {
  for (const [pattern, schema] of Object.entries(asRecord(s.patternProperties))) {
    if (new RegExp(pattern, 'u').test(key) && isSchema(schema)) return schema;
  }
  const additional = additionalPropertiesOf(s);
  return typeof additional === 'object' ? additional : undefined;
}

function hasDefault(schema: unknown, root: JsonSchema): boolean {
  if (!isSchema(schema) || typeof schema !== 'object') return false;
  if ('default' in schema) return true;
  return typeof schema.$ref === 'string' && hasDefault(resolveRef(schema.$ref, root), root);
}

// ---------------------------------------------------------------- arrays

interface ArrayShape {
  allItems?: JsonSchema;
  tuple: JsonSchema[];
  /** `false`: no items past the tuple; a schema: they must match it; `undefined`: anything. */
  additional?: JsonSchema;
}

function arrayShape(s: SchemaObject): ArrayShape {
  if (Array.isArray(s.prefixItems)) {
    return { tuple: s.prefixItems as JsonSchema[], additional: isSchema(s.items) ? s.items : undefined };
  }
  if (Array.isArray(s.items)) {
    return { tuple: s.items as JsonSchema[], additional: isSchema(s.additionalItems) ? s.additionalItems : undefined };
  }
  return { allItems: isSchema(s.items) ? s.items : undefined, tuple: [] };
}

function isOpenArray(shape: ArrayShape): boolean {
  return shape.additional === undefined || shape.additional === true;
}

function compareArray(ctx: DiffContext, o: SchemaObject, u: SchemaObject, roots: Roots): void {
  const a = arrayShape(o);
  const b = arrayShape(u);
  ctx.enter('items', () => compare(ctx, a.allItems, b.allItems, roots));

  const common = Math.min(a.tuple.length, b.tuple.length);
  for (let i = 0; i < common; i++) ctx.enter(`items/${i}`, () => compare(ctx, a.tuple[i], b.tuple[i], roots));
  for (let i = common; i < a.tuple.length; i++) {
    ctx.enter(`items/${i}`, () => {
      const removed = a.tuple[i];
      if (isOpenArray(b)) return ctx.add(T.ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL);
      if (typeof b.additional === 'object') {
        const sub = ctx.subcontext();
        compare(sub, removed, b.additional, roots);
        ctx.addAll(sub.differences);
        return ctx.add(
          sub.isCompatible()
            ? T.ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
            : T.ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
        );
      }
      ctx.add(
        removed === false
          ? T.ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL
          : T.ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL,
      );
    });
  }
  for (let i = common; i < b.tuple.length; i++) {
    ctx.enter(`items/${i}`, () => {
      const added = b.tuple[i];
      if (isOpenArray(a)) {
        return ctx.add(
          normalize(added, roots.update).kind === 'empty'
            ? T.ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL
            : T.ITEM_ADDED_TO_OPEN_CONTENT_MODEL,
        );
      }
      if (typeof a.additional === 'object') {
        const sub = ctx.subcontext();
        compare(sub, a.additional, added, roots);
        ctx.addAll(sub.differences);
        return ctx.add(
          sub.isCompatible()
            ? T.ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
            : T.ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
        );
      }
      ctx.add(T.ITEM_ADDED_TO_CLOSED_CONTENT_MODEL);
    });
  }

  if (a.tuple.length > 0 || b.tuple.length > 0) {
    ctx.enter('additionalItems', () => {
      const aPermits = a.additional !== false;
      const bPermits = b.additional !== false;
      const aSchema = typeof a.additional === 'object' ? a.additional : undefined;
      const bSchema = typeof b.additional === 'object' ? b.additional : undefined;
      if (aPermits !== bPermits) ctx.add(aPermits ? T.ADDITIONAL_ITEMS_REMOVED : T.ADDITIONAL_ITEMS_ADDED);
      else if (!aSchema && bSchema) ctx.add(T.ADDITIONAL_ITEMS_NARROWED);
      else if (aSchema && !bSchema) ctx.add(T.ADDITIONAL_ITEMS_EXTENDED);
      else if (aSchema && bSchema) compare(ctx, aSchema, bSchema, roots);
    });
  }

  compareBound(ctx, 'maxItems', o.maxItems, u.maxItems, {
    added: T.MAX_ITEMS_ADDED,
    removed: T.MAX_ITEMS_REMOVED,
    increased: T.MAX_ITEMS_INCREASED,
    decreased: T.MAX_ITEMS_DECREASED,
  });
  compareBound(ctx, 'minItems', o.minItems, u.minItems, {
    added: T.MIN_ITEMS_ADDED,
    removed: T.MIN_ITEMS_REMOVED,
    increased: T.MIN_ITEMS_INCREASED,
    decreased: T.MIN_ITEMS_DECREASED,
  });
  if (o.uniqueItems === true && u.uniqueItems !== true) ctx.add(T.UNIQUE_ITEMS_REMOVED, 'uniqueItems');
  else if (o.uniqueItems !== true && u.uniqueItems === true) ctx.add(T.UNIQUE_ITEMS_ADDED, 'uniqueItems');
  compareBound(ctx, 'maxContains', o.maxContains, u.maxContains, {
    added: T.MAX_CONTAINS_ADDED,
    removed: T.MAX_CONTAINS_REMOVED,
    increased: T.MAX_CONTAINS_INCREASED,
    decreased: T.MAX_CONTAINS_DECREASED,
  });
  compareBound(ctx, 'minContains', o.minContains, u.minContains, {
    added: T.MIN_CONTAINS_ADDED,
    removed: T.MIN_CONTAINS_REMOVED,
    increased: T.MIN_CONTAINS_INCREASED,
    decreased: T.MIN_CONTAINS_DECREASED,
  });
}

// ---------------------------------------------------------------- allOf / anyOf / oneOf

function compareCombined(ctx: DiffContext, o: Normalized, u: Normalized, roots: Roots): void {
  const oCriterion = o.criterion as Criterion;
  const uCriterion = u.criterion as Criterion;
  const oSubs = dedupe(o.subschemas ?? []);
  const uSubs = dedupe(u.subschemas ?? []);

  if (oCriterion !== uCriterion) {
    let extended = false;
    if (uCriterion === 'anyOf') extended = true;
    else if (uCriterion === 'oneOf') extended = oSubs.length === 1;
    else extended = oSubs.length === 1 && uSubs.length === 1;
    if (!extended) return ctx.add(T.COMBINED_TYPE_CHANGED);
    ctx.add(T.COMBINED_TYPE_EXTENDED);
  }
  if (oSubs.length < uSubs.length) ctx.add(uCriterion === 'allOf' ? T.PRODUCT_TYPE_EXTENDED : T.SUM_TYPE_EXTENDED);
  else if (oSubs.length > uSubs.length) ctx.add(uCriterion === 'allOf' ? T.PRODUCT_TYPE_NARROWED : T.SUM_TYPE_NARROWED);

  // Compatible pairs (original i, update j) with their differences, then a maximum bipartite matching.
  const edges: Map<number, Difference[]>[] = oSubs.map(() => new Map());
  oSubs.forEach((oSub, i) => {
    ctx.enter(`${oCriterion}/${i}`, () => {
      uSubs.forEach((uSub, j) => {
        const sub = ctx.subcontext();
        compare(sub, oSub, uSub, roots);
        if (sub.isCompatible()) edges[i].set(j, sub.differences);
      });
    });
  });
  const matchOfUpdate = new Array<number>(uSubs.length).fill(-1);
  const augment = (i: number, visited: boolean[]): boolean => {
    for (const j of edges[i].keys()) {
      if (visited[j]) continue;
      visited[j] = true;
      if (matchOfUpdate[j] === -1 || augment(matchOfUpdate[j], visited)) {
        matchOfUpdate[j] = i;
        return true;
      }
    }
    return false;
  };
  let matched = 0;
  for (let i = 0; i < oSubs.length; i++) if (augment(i, new Array<boolean>(uSubs.length).fill(false))) matched++;
  matchOfUpdate.forEach((i, j) => {
    if (i !== -1) ctx.addAll(edges[i].get(j) ?? []);
  });
  if (matched < Math.min(oSubs.length, uSubs.length)) ctx.add(T.COMBINED_TYPE_SUBSCHEMAS_CHANGED);
}

function dedupe(schemas: JsonSchema[]): JsonSchema[] {
  const seen = new Set<string>();
  return schemas.filter((s) => {
    const key = canonicalJson(s);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---------------------------------------------------------------- normalization

function normalize(schema: JsonSchema, root: JsonSchema, depth = 0): Normalized {
  if (schema === false) return { kind: 'false', schema: {} };
  if (schema === true) return { kind: 'empty', schema: {} };
  if (depth > 64) throw new Error('JSON Schema $ref chain too deep');
  const s = schema;

  if (typeof s.$ref === 'string') {
    const target = resolveRef(s.$ref, root);
    const siblings = withoutKeys(s, ['$ref']);
    if (!hasAssertions(siblings)) return normalize(target, root, depth + 1);
    return { kind: 'combined', schema: s, criterion: 'allOf', subschemas: [target, siblings] };
  }

  const combinators = COMBINATORS.filter((c) => Array.isArray(s[c]));
  if (combinators.length > 0) {
    const rest = withoutKeys(s, combinators);
    if (combinators.length === 1 && !hasAssertions(rest)) {
      return { kind: 'combined', schema: s, criterion: combinators[0], subschemas: s[combinators[0]] as JsonSchema[] };
    }
    const parts: JsonSchema[] = combinators.map((c) => ({ [c]: s[c] }));
    if (hasAssertions(rest)) parts.unshift(rest);
    return { kind: 'combined', schema: s, criterion: 'allOf', subschemas: parts };
  }

  if ('not' in s && isSchema(s.not)) {
    const rest = withoutKeys(s, ['not']);
    if (!hasAssertions(rest)) return { kind: 'not', schema: s };
    return { kind: 'combined', schema: s, criterion: 'allOf', subschemas: [rest, { not: s.not }] };
  }

  let type = s.type;
  if (Array.isArray(type)) {
    if (type.length === 1) type = type[0];
    else {
      return {
        kind: 'combined',
        schema: s,
        criterion: 'anyOf',
        subschemas: type.map((t) => ({ ...s, type: t })),
      };
    }
  }
  switch (type) {
    case 'string':
      return { kind: 'string', schema: s };
    case 'number':
      return { kind: 'number', schema: s, integer: false };
    case 'integer':
      return { kind: 'number', schema: s, integer: true };
    case 'boolean':
      return { kind: 'boolean', schema: s };
    case 'null':
      return { kind: 'null', schema: s };
    case 'object':
      return { kind: 'object', schema: s };
    case 'array':
      return { kind: 'array', schema: s };
    default:
      break;
  }
  if ('enum' in s || 'const' in s) return { kind: 'enum', schema: s };
  if (OBJECT_KEYWORDS.some((k) => k in s)) return { kind: 'object', schema: s };
  if (ARRAY_KEYWORDS.some((k) => k in s)) return { kind: 'array', schema: s };
  if (STRING_KEYWORDS.some((k) => k in s)) return { kind: 'string', schema: s };
  if (NUMBER_KEYWORDS.some((k) => k in s)) return { kind: 'number', schema: s, integer: false };
  return { kind: 'empty', schema: s };
}

function resolveRef(ref: string, root: JsonSchema): JsonSchema {
  if (!ref.startsWith('#')) throw new Error(`Only local $ref is supported by the compatibility check, got '${ref}'`);
  let node: unknown = root;
  const pointer = decodeURIComponent(ref.slice(1));
  if (pointer !== '') {
    for (const raw of pointer.split('/').slice(1)) {
      const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[segment] : undefined;
    }
  }
  if (!isSchema(node)) throw new Error(`$ref '${ref}' does not resolve to a schema`);
  return node;
}

// ---------------------------------------------------------------- helpers

function hasAssertions(s: SchemaObject): boolean {
  return Object.keys(s).some((k) => !ANNOTATIONS.has(k));
}

function withoutKeys(s: SchemaObject, keys: readonly string[]): SchemaObject {
  const out: SchemaObject = {};
  for (const [k, v] of Object.entries(s)) if (!keys.includes(k)) out[k] = v;
  return out;
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'boolean' || (typeof value === 'object' && value !== null && !Array.isArray(value));
}

function asRecord(value: unknown): Record<string, JsonSchema> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, JsonSchema>)
    : {};
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
