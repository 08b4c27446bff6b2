import { projectXsd } from '../compatibility/xsd-projection';

/** The keyword that marks a JSON Schema property (or any subschema) as personal data. */
export const PERSONAL_KEYWORD = 'x-personal';

/** Beside an XSD, `schemas/<type>/personal.json` lists its personal elements. */
export const PERSONAL_FILE = 'personal.json';

type SchemaNode = { [keyword: string]: unknown };

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `*` stands for every member of an array or every property of a map. */
export const ANY = '*';

/**
 * Walks a JSON Schema (2020-12 subset: properties, items, prefixItems, additionalProperties, patternProperties,
 * allOf/anyOf/oneOf, if/then/else, local `$ref`s) and calls `visit` with each reachable subschema and its path
 * in the instance (property names, `*` for array members and map values). Recursive `$ref`s are followed once.
 */
export function walkSchema(root: unknown, visit: (node: SchemaNode, path: readonly string[]) => void): void {
  const resolve = (ref: string): unknown => {
    if (!ref.startsWith('#/')) return undefined;
    let at: unknown = root;
    for (const part of ref.slice(2).split('/')) at = isNode(at) ? at[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    return at;
  };
  const walk = (node: unknown, path: string[], refs: ReadonlySet<string>): void => {
    if (!isNode(node)) return;
    visit(node, path);
    if (typeof node.$ref === 'string' && !refs.has(node.$ref)) walk(resolve(node.$ref), path, new Set([...refs, node.$ref]));
    if (isNode(node.properties)) for (const [name, child] of Object.entries(node.properties)) walk(child, [...path, name], refs);
    for (const key of ['items', 'additionalProperties', 'unevaluatedProperties', 'unevaluatedItems', 'contains']) walk(node[key], [...path, ANY], refs);
    if (Array.isArray(node.prefixItems)) for (const child of node.prefixItems) walk(child, [...path, ANY], refs);
    if (isNode(node.patternProperties)) for (const child of Object.values(node.patternProperties)) walk(child, [...path, ANY], refs);
    for (const key of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(node[key])) for (const child of node[key] as unknown[]) walk(child, path, refs);
    for (const key of ['if', 'then', 'else', 'not']) walk(node[key], path, refs);
  };
  walk(root, [], new Set());
}

/** The instance paths a JSON Schema marks `"x-personal": true`, as arrays of segments. */
export function jsonPersonalPaths(schema: unknown): string[][] {
  const found = new Map<string, string[]>();
  walkSchema(schema, (node, path) => {
    if (node[PERSONAL_KEYWORD] === true) found.set(path.join('\u0000'), [...path]);
  });
  return [...found.values()];
}

/** Every element path an XSD declares (local names from a global element down), e.g. `GetPersonResponse/Fin`. */
export function xsdElementPaths(xsd: string): string[][] {
  const found = new Map<string, string[]>();
  walkSchema(projectXsd(xsd), (_node, path) => {
    // The projection wraps each child element in an array (`*`) and names attributes `@name`.
    const elements = path.filter((segment) => segment !== ANY);
    if (elements.length > 0 && !elements.some((segment) => segment.startsWith('@'))) found.set(elements.join('/'), elements);
  });
  return [...found.values()];
}

/**
 * An entry of personal.json: a local element name (`Fin`: every element so named), or a path of local names
 * (`RegisteredAddress/Street`: a Street directly under a RegisteredAddress; a leading `/` anchors it at the
 * payload's root element). Namespaces are not compared.
 */
export function parseElementEntry(entry: string): { anchored: boolean; names: string[] } {
  const anchored = entry.startsWith('/');
  return { anchored, names: (anchored ? entry.slice(1) : entry).split('/') };
}

/** Whether an element at `path` (root first) is what `entry` names. */
export function elementEntryMatches(entry: { anchored: boolean; names: readonly string[] }, path: readonly string[]): boolean {
  const { anchored, names } = entry;
  if (names.length > path.length || (anchored && names.length !== path.length)) return false;
  const offset = path.length - names.length;
  return names.every((name, i) => path[offset + i] === name);
}

/** Element names of personal.json: local names, optionally a path of them. */
export const ELEMENT_ENTRY = /^\/?[A-Za-z_][\w.-]*(\/[A-Za-z_][\w.-]*)*$/;
