import { checkCompatibility, checkVersionHistory } from './check-compatibility';
import { CompatibilityMode } from './compatibility-mode';
import { DifferenceType as T } from './difference-type';
import { diffJsonSchemas, JsonSchema } from './json-schema-diff';

const closed = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  properties,
  required,
});
const open = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: 'object',
  properties,
  required,
});
const str = (extra: Record<string, unknown> = {}): JsonSchema => ({ type: 'string', ...extra });

function typesOf(older: JsonSchema, newer: JsonSchema): T[] {
  return diffJsonSchemas(older, newer).map((d) => d.type);
}

function backwardBreaks(older: JsonSchema, newer: JsonSchema): string[] {
  return checkCompatibility(older, newer, CompatibilityMode.BACKWARD).breaks.map((b) => `${b.type} at ${b.path}`);
}

/**
 * Each rule: a change that BACKWARD accepts (reader = newer, writer = older) and one it rejects, with the
 * difference type Confluent's JSON Schema diff names.
 */
describe('checkCompatibility under BACKWARD (Confluent JSON Schema rules)', () => {
  const rules: Array<{
    rule: string;
    passes: [JsonSchema, JsonSchema, T];
    fails: [JsonSchema, JsonSchema, T, string];
  }> = [
    {
      rule: 'open content model: property added / removed',
      passes: [open({ a: str(), b: str() }), open({ a: str() }), T.PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL],
      fails: [
        open({ a: str() }),
        open({ a: str(), b: str() }),
        T.PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL,
        '#/properties/b',
      ],
    },
    {
      rule: 'open content model: property with the empty schema added',
      passes: [open({ a: str() }), open({ a: str(), b: {} }), T.PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL],
      fails: [
        open({ a: str() }),
        open({ a: str(), b: { type: 'integer' } }),
        T.PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL,
        '#/properties/b',
      ],
    },
    {
      rule: 'closed content model: property added optional / required without default',
      passes: [closed({ a: str() }), closed({ a: str(), b: str() }), T.OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL],
      fails: [
        closed({ a: str() }),
        closed({ a: str(), b: str() }, ['b']),
        T.REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL,
        '#/properties/b',
      ],
    },
    {
      rule: 'closed content model: required property added with a default',
      passes: [
        closed({ a: str() }),
        closed({ a: str(), b: str({ default: 'x' }) }, ['b']),
        T.REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL,
      ],
      fails: [
        closed({ a: str() }),
        closed({ a: str(), b: str() }, ['b']),
        T.REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL,
        '#/properties/b',
      ],
    },
    {
      rule: 'closed content model: property removed',
      passes: [
        closed({ a: str(), b: false }),
        closed({ a: str() }),
        T.PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL,
      ],
      fails: [
        closed({ a: str(), x: str() }),
        closed({ a: str() }),
        T.PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL,
        '#/properties/x',
      ],
    },
    {
      rule: 'partially open content model (additionalProperties schema)',
      passes: [
        { ...(closed({ a: str(), b: str() }) as object), additionalProperties: { type: 'string' } },
        { ...(closed({ a: str() }) as object), additionalProperties: { type: 'string' } },
        T.PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
      ],
      fails: [
        { ...(closed({ a: str(), b: { type: 'integer' } }) as object), additionalProperties: { type: 'string' } },
        { ...(closed({ a: str() }) as object), additionalProperties: { type: 'string' } },
        T.PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
        '#/properties/b',
      ],
    },
    {
      rule: 'required attribute on an existing property',
      passes: [closed({ a: str() }, ['a']), closed({ a: str() }), T.REQUIRED_ATTRIBUTE_REMOVED],
      fails: [closed({ a: str() }), closed({ a: str() }, ['a']), T.REQUIRED_ATTRIBUTE_ADDED, '#/required/a'],
    },
    {
      rule: 'additionalProperties',
      passes: [closed({ a: str() }), open({ a: str() }), T.ADDITIONAL_PROPERTIES_ADDED],
      fails: [open({ a: str() }), closed({ a: str() }), T.ADDITIONAL_PROPERTIES_REMOVED, '#/additionalProperties'],
    },
    {
      rule: 'type widened / narrowed (integer ↔ number)',
      passes: [{ type: 'integer' }, { type: 'number' }, T.TYPE_EXTENDED],
      fails: [{ type: 'number' }, { type: 'integer' }, T.TYPE_NARROWED, '#/'],
    },
    {
      rule: 'type changed',
      passes: [{ type: 'string' }, { type: ['string', 'null'] }, T.SUM_TYPE_EXTENDED],
      fails: [closed({ n: str() }), closed({ n: { type: 'integer' } }), T.TYPE_CHANGED, '#/properties/n'],
    },
    {
      rule: 'maxLength',
      passes: [str({ maxLength: 10 }), str({ maxLength: 20 }), T.MAX_LENGTH_INCREASED],
      fails: [str({ maxLength: 20 }), str({ maxLength: 10 }), T.MAX_LENGTH_DECREASED, '#/maxLength'],
    },
    {
      rule: 'minLength',
      passes: [str({ minLength: 5 }), str({ minLength: 1 }), T.MIN_LENGTH_DECREASED],
      fails: [str(), str({ minLength: 1 }), T.MIN_LENGTH_ADDED, '#/minLength'],
    },
    {
      rule: 'pattern',
      passes: [str({ pattern: '^[0-9]{9}[12]$' }), str(), T.PATTERN_REMOVED],
      fails: [str({ pattern: '^[0-9]{10}$' }), str({ pattern: '^[0-9]{9}[12]$' }), T.PATTERN_CHANGED, '#/pattern'],
    },
    {
      rule: 'format (extension: Ajv asserts formats)',
      passes: [str({ format: 'date' }), str(), T.FORMAT_REMOVED],
      fails: [str(), str({ format: 'date' }), T.FORMAT_ADDED, '#/format'],
    },
    {
      rule: 'maximum',
      passes: [{ type: 'number', maximum: 10 }, { type: 'number', maximum: 100 }, T.MAXIMUM_INCREASED],
      fails: [{ type: 'number', maximum: 100 }, { type: 'number', maximum: 10 }, T.MAXIMUM_DECREASED, '#/maximum'],
    },
    {
      rule: 'minimum',
      passes: [{ type: 'number', minimum: 1 }, { type: 'number' }, T.MINIMUM_REMOVED],
      fails: [{ type: 'number', minimum: 0 }, { type: 'number', minimum: 1 }, T.MINIMUM_INCREASED, '#/minimum'],
    },
    {
      rule: 'exclusive bounds',
      passes: [
        { type: 'number', exclusiveMinimum: 1 },
        { type: 'number', exclusiveMinimum: 0 },
        T.EXCLUSIVE_MINIMUM_DECREASED,
      ],
      fails: [
        { type: 'number', exclusiveMaximum: 10 },
        { type: 'number', exclusiveMaximum: 5 },
        T.EXCLUSIVE_MAXIMUM_DECREASED,
        '#/exclusiveMaximum',
      ],
    },
    {
      rule: 'multipleOf',
      passes: [{ type: 'number', multipleOf: 0.1 }, { type: 'number', multipleOf: 0.01 }, T.MULTIPLE_OF_REDUCED],
      fails: [
        { type: 'number', multipleOf: 0.01 },
        { type: 'number', multipleOf: 0.1 },
        T.MULTIPLE_OF_EXPANDED,
        '#/multipleOf',
      ],
    },
    {
      rule: 'enum',
      passes: [str({ enum: ['A', 'B'] }), str({ enum: ['A', 'B', 'C'] }), T.ENUM_ARRAY_EXTENDED],
      fails: [str({ enum: ['A', 'B', 'C'] }), str({ enum: ['A', 'B'] }), T.ENUM_ARRAY_NARROWED, '#/enum'],
    },
    {
      rule: 'enum changed',
      passes: [{ enum: [1, 2] }, { enum: [2, 1] }, undefined as unknown as T],
      fails: [{ enum: [1, 2] }, { enum: [2, 3] }, T.ENUM_ARRAY_CHANGED, '#/enum'],
    },
    {
      rule: 'array items / maxItems / minItems / uniqueItems',
      passes: [
        { type: 'array', items: str(), maxItems: 5, uniqueItems: true },
        { type: 'array', items: str(), maxItems: 10 },
        T.MAX_ITEMS_INCREASED,
      ],
      fails: [
        { type: 'array', items: str(), minItems: 0 },
        { type: 'array', items: str(), minItems: 1, uniqueItems: true },
        T.MIN_ITEMS_INCREASED,
        '#/minItems',
      ],
    },
    {
      rule: 'array items schema',
      passes: [{ type: 'array', items: str({ maxLength: 3 }) }, { type: 'array', items: str() }, T.MAX_LENGTH_REMOVED],
      fails: [
        { type: 'array', items: str() },
        { type: 'array', items: { type: 'integer' } },
        T.TYPE_CHANGED,
        '#/items',
      ],
    },
    {
      rule: 'tuple items (prefixItems) in open and closed content models',
      passes: [
        { type: 'array', prefixItems: [str()], items: false },
        { type: 'array', prefixItems: [str(), str()], items: false },
        T.ITEM_ADDED_TO_CLOSED_CONTENT_MODEL,
      ],
      fails: [
        { type: 'array', prefixItems: [str(), str()], items: false },
        { type: 'array', prefixItems: [str()], items: false },
        T.ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL,
        '#/items/1',
      ],
    },
    {
      rule: 'tuple item added to an open content model',
      passes: [
        { type: 'array', prefixItems: [str(), str()] },
        { type: 'array', prefixItems: [str()] },
        T.ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL,
      ],
      fails: [
        { type: 'array', prefixItems: [str()] },
        { type: 'array', prefixItems: [str(), str()] },
        T.ITEM_ADDED_TO_OPEN_CONTENT_MODEL,
        '#/items/1',
      ],
    },
    {
      rule: 'oneOf / anyOf',
      passes: [
        { oneOf: [str(), { type: 'integer' }] },
        { oneOf: [str(), { type: 'integer' }, { type: 'boolean' }] },
        T.SUM_TYPE_EXTENDED,
      ],
      fails: [{ oneOf: [str(), { type: 'integer' }] }, { oneOf: [str()] }, T.SUM_TYPE_NARROWED, '#/'],
    },
    {
      rule: 'combined criterion',
      passes: [
        { oneOf: [str(), { type: 'integer' }] },
        { anyOf: [str(), { type: 'integer' }] },
        T.COMBINED_TYPE_EXTENDED,
      ],
      fails: [
        { anyOf: [str(), { type: 'integer' }] },
        { oneOf: [str(), { type: 'integer' }] },
        T.COMBINED_TYPE_CHANGED,
        '#/',
      ],
    },
    {
      rule: 'allOf',
      passes: [{ allOf: [str(), { maxLength: 5 }] }, { allOf: [str()] }, T.PRODUCT_TYPE_NARROWED],
      fails: [{ allOf: [str()] }, { allOf: [str(), { maxLength: 5 }] }, T.PRODUCT_TYPE_EXTENDED, '#/'],
    },
    {
      rule: 'not',
      passes: [{ not: str() }, { not: { type: 'string', maxLength: 3 } }, T.NOT_TYPE_NARROWED],
      fails: [{ not: { type: 'string', maxLength: 3 } }, { not: str() }, T.NOT_TYPE_EXTENDED, '#/not'],
    },
    {
      rule: 'dependentRequired',
      passes: [
        { type: 'object', dependentRequired: { a: ['b', 'c'] } },
        { type: 'object', dependentRequired: { a: ['b'] } },
        T.DEPENDENCY_ARRAY_NARROWED,
      ],
      fails: [
        { type: 'object', dependentRequired: { a: ['b'] } },
        { type: 'object', dependentRequired: { a: ['b', 'c'] } },
        T.DEPENDENCY_ARRAY_EXTENDED,
        '#/dependentRequired/a',
      ],
    },
    {
      rule: 'maxProperties / minProperties',
      passes: [{ type: 'object', maxProperties: 3 }, { type: 'object', maxProperties: 5 }, T.MAX_PROPERTIES_INCREASED],
      fails: [{ type: 'object' }, { type: 'object', minProperties: 1 }, T.MIN_PROPERTIES_ADDED, '#/minProperties'],
    },
    {
      rule: 'annotations and local $ref',
      passes: [
        {
          $defs: { fin: str({ pattern: '^[0-9A-HJ-NP-Z]{7}$' }) },
          ...(closed({ fin: { $ref: '#/$defs/fin' } }) as object),
        },
        {
          title: 'x',
          $defs: { fin: str({ pattern: '^[0-9A-HJ-NP-Z]{7}$', description: 'FIN' }) },
          ...(closed({ fin: { $ref: '#/$defs/fin' } }) as object),
        },
        T.TITLE_CHANGED,
      ],
      fails: [
        {
          $defs: { fin: str({ pattern: '^[0-9A-HJ-NP-Z]{7}$' }) },
          ...(closed({ fin: { $ref: '#/$defs/fin' } }) as object),
        },
        { $defs: { fin: str({ pattern: '^[0-9]{7}$' }) }, ...(closed({ fin: { $ref: '#/$defs/fin' } }) as object) },
        T.PATTERN_CHANGED,
        '#/properties/fin/pattern',
      ],
    },
  ];

  describe.each(rules)('$rule', ({ passes, fails }) => {
    it('accepts the compatible change', () => {
      const [older, newer, expected] = passes;
      expect(backwardBreaks(older, newer)).toEqual([]);
      if (expected !== undefined) expect(typesOf(older, newer)).toContain(expected);
    });

    it('rejects the breaking change with its difference type and path', () => {
      const [older, newer, expected, at] = fails;
      expect(backwardBreaks(older, newer)).toContain(`${expected} at ${at}`);
    });
  });

  it('treats recursive schemas without looping', () => {
    const tree = (extra: Record<string, unknown>): JsonSchema => ({
      $defs: {
        node: {
          type: 'object',
          properties: { label: str(extra), children: { type: 'array', items: { $ref: '#/$defs/node' } } },
        },
      },
      $ref: '#/$defs/node',
    });
    expect(backwardBreaks(tree({}), tree({}))).toEqual([]);
    expect(backwardBreaks(tree({}), tree({ maxLength: 3 }))).toContain(
      'MAX_LENGTH_ADDED at #/properties/label/maxLength',
    );
  });
});

describe('compatibility modes', () => {
  // Adding an optional property to a closed model: readable by the newer (BACKWARD), not by the older (FORWARD).
  const closed1 = closed({ fin: str() }, ['fin']);
  const closed2 = closed({ fin: str(), note: str() }, ['fin']);
  // Adding a property to an open model: the reverse (the older reader ignores it; the newer may reject old data).
  const open1 = open({ fin: str() });
  const open2 = open({ fin: str(), note: str() });

  it.each([
    [CompatibilityMode.BACKWARD, true, false],
    [CompatibilityMode.BACKWARD_TRANSITIVE, true, false],
    [CompatibilityMode.FORWARD, false, true],
    [CompatibilityMode.FORWARD_TRANSITIVE, false, true],
    [CompatibilityMode.FULL, false, false],
    [CompatibilityMode.FULL_TRANSITIVE, false, false],
    [CompatibilityMode.NONE, true, true],
  ])(
    '%s: closed-model addition compatible=%s, open-model addition compatible=%s',
    (mode, closedAddition, openAddition) => {
      expect(checkCompatibility(closed1, closed2, mode).compatible).toBe(closedAddition);
      expect(checkCompatibility(open1, open2, mode).compatible).toBe(openAddition);
    },
  );

  it('FULL reports the failing direction', () => {
    expect(checkCompatibility(closed1, closed2, CompatibilityMode.FULL).breaks).toEqual([
      { type: T.PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL, path: '#/properties/note', direction: 'FORWARD' },
    ]);
    expect(checkCompatibility(open1, open2, CompatibilityMode.FULL).breaks).toEqual([
      { type: T.PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL, path: '#/properties/note', direction: 'BACKWARD' },
    ]);
  });

  it('FULL accepts a change that both directions tolerate', () => {
    const a = closed({ fin: str({ description: 'FIN' }) });
    const b = closed({ fin: str({ description: 'Personal identification number' }) });
    expect(checkCompatibility(a, b, CompatibilityMode.FULL).compatible).toBe(true);
  });

  describe('transitivity over a history', () => {
    // v2 adds a required property with a default (compatible), v3 drops the default (compatible against v2),
    // yet v3 cannot read v1 data: the property is required and v1 never wrote it.
    const h1 = closed({ a: str() });
    const h2 = closed({ a: str(), b: str({ default: 'x' }) }, ['b']);
    const h3 = closed({ a: str(), b: str() }, ['b']);
    const history = (schemas: JsonSchema[]) =>
      schemas.map((schema, i) => ({ version: String(i + 1), format: 'json' as const, schema }));
    const describeBreaks = (mode: CompatibilityMode, schemas: JsonSchema[]) =>
      checkVersionHistory(history(schemas), mode).map(
        (b) => `v${b.olderVersion}→v${b.newerVersion} ${b.direction} ${b.type}`,
      );

    it('BACKWARD compares each version with its predecessor only; BACKWARD_TRANSITIVE with all earlier ones', () => {
      expect(describeBreaks(CompatibilityMode.BACKWARD, [h1, h2, h3])).toEqual([]);
      expect(describeBreaks(CompatibilityMode.BACKWARD_TRANSITIVE, [h1, h2, h3])).toEqual([
        'v1→v3 BACKWARD REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
      ]);
    });

    it('FORWARD compares each version with its predecessor only; FORWARD_TRANSITIVE with all earlier ones', () => {
      expect(describeBreaks(CompatibilityMode.FORWARD, [h3, h2, h1])).toEqual([]);
      expect(describeBreaks(CompatibilityMode.FORWARD_TRANSITIVE, [h3, h2, h1])).toEqual([
        'v1→v3 FORWARD REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
      ]);
    });

    it('FULL_TRANSITIVE checks both directions against all earlier versions', () => {
      const f1 = closed({ a: str({ maxLength: 10, description: 'one' }) });
      const f2 = closed({ a: str({ maxLength: 10, description: 'two' }) });
      const f3 = closed({ a: str({ maxLength: 10 }) });
      expect(describeBreaks(CompatibilityMode.FULL_TRANSITIVE, [f1, f2, f3])).toEqual([]);
      expect(describeBreaks(CompatibilityMode.FULL, [h1, h2, h3])).toContain(
        'v1→v2 FORWARD PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL',
      );
    });
  });
});
