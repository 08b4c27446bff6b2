import { DOMParser, Element, onErrorStopParsing } from '@xmldom/xmldom';
import { JsonSchema } from './json-schema-diff';

const XS = 'http://www.w3.org/2001/XMLSchema';
type SchemaObject = { [keyword: string]: unknown };

/**
 * Projects an XSD onto an equivalent-enough JSON Schema so that the Confluent-style differ can judge its
 * evolution. The projection (documented in schemas/README.md):
 * - the document is an object whose (optional) properties are the global elements, content model closed;
 * - a complex type is an object, closed unless it has `xs:any`; child elements are properties, attributes are
 *   `@name` properties; `minOccurs >= 1` (outside `xs:choice`) makes a property required;
 * - every child element is an array of its type: `maxOccurs` → `maxItems` (absent when unbounded),
 *   `minOccurs > 1` → `minItems`;
 * - simple types carry their facets: pattern (anchored), enumeration → enum, length bounds, inclusive and
 *   exclusive ranges, fractionDigits → multipleOf; built-in types map to string/number/integer/boolean, with
 *   `format` for dates and `xsd:<name>` formats for other string-like built-ins;
 * - named complex types become `$defs` (so recursive types terminate).
 * Not understood (rejected with an error naming it): groups, attribute groups, redefine/override, import/include.
 */
export function projectXsd(xsd: string): JsonSchema {
  const doc = new DOMParser({ onError: onErrorStopParsing }).parseFromString(xsd, 'text/xml');
  const schema = doc.documentElement;
  if (!schema || schema.namespaceURI !== XS || schema.localName !== 'schema') {
    throw new Error('Not an XML Schema document (no xs:schema root)');
  }
  return new XsdProjector(schema).project();
}

class XsdProjector {
  private readonly simpleTypes = new Map<string, Element>();
  private readonly complexTypes = new Map<string, Element>();
  private readonly elements = new Map<string, Element>();
  private readonly defs: Record<string, JsonSchema> = {};

  constructor(private readonly schema: Element) {
    for (const child of xsChildren(schema)) {
      const name = child.getAttribute('name') ?? '';
      switch (child.localName ?? '') {
        case 'simpleType':
          this.simpleTypes.set(name, child);
          break;
        case 'complexType':
          this.complexTypes.set(name, child);
          break;
        case 'element':
          this.elements.set(name, child);
          break;
        case 'annotation':
          break;
        default:
          throw new Error(`XSD construct xs:${child.localName} is not supported by the compatibility check`);
      }
    }
  }

  project(): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    for (const [name, element] of this.elements) properties[name] = this.elementType(element);
    const out: SchemaObject = { type: 'object', additionalProperties: false, properties };
    if (Object.keys(this.defs).length > 0) out.$defs = this.defs;
    return out;
  }

  /** The schema of an element's content (without occurrence wrapping). */
  private elementType(element: Element): JsonSchema {
    const ref = element.getAttribute('ref');
    if (ref) {
      const target = this.elements.get(localPart(ref));
      if (!target) throw new Error(`xs:element ref='${ref}' does not resolve`);
      return this.elementType(target);
    }
    const type = element.getAttribute('type');
    if (type) return this.typeByName(type);
    for (const child of xsChildren(element)) {
      if (child.localName === 'complexType') return this.complexType(child);
      if (child.localName === 'simpleType') return this.simpleType(child);
    }
    return {};
  }

  private typeByName(qname: string): JsonSchema {
    const name = localPart(qname);
    if (isXsQName(qname, this.schema)) return builtin(name);
    const simple = this.simpleTypes.get(name);
    if (simple) return this.simpleType(simple);
    const complex = this.complexTypes.get(name);
    if (complex) {
      if (!(name in this.defs)) {
        this.defs[name] = {};
        this.defs[name] = this.complexType(complex);
      }
      return { $ref: `#/$defs/${name}` };
    }
    throw new Error(`XSD type '${qname}' does not resolve`);
  }

  private simpleType(simpleType: Element): SchemaObject {
    for (const child of xsChildren(simpleType)) {
      if (child.localName === 'restriction') return this.restriction(child);
      if (child.localName === 'list') return { type: 'string', format: 'xsd:list' };
      if (child.localName === 'union') {
        const members = (child.getAttribute('memberTypes') ?? '').split(/\s+/).filter(Boolean);
        const inline = xsChildren(child).filter((c) => c.localName === 'simpleType');
        return { anyOf: [...members.map((m) => this.typeByName(m)), ...inline.map((s) => this.simpleType(s))] };
      }
    }
    return { type: 'string' };
  }

  private restriction(restriction: Element): SchemaObject {
    const base = restriction.getAttribute('base');
    let out: SchemaObject = {};
    if (base) out = { ...(this.typeByName(base) as SchemaObject) };
    else {
      const inline = xsChildren(restriction).find((c) => c.localName === 'simpleType');
      if (inline) out = { ...this.simpleType(inline) };
    }
    const patterns: string[] = [];
    const enumeration: string[] = [];
    for (const facet of xsChildren(restriction)) {
      const value = facet.getAttribute('value') ?? '';
      switch (facet.localName ?? '') {
        case 'pattern':
          patterns.push(value);
          break;
        case 'enumeration':
          enumeration.push(value);
          break;
        case 'length':
          out.minLength = Number(value);
          out.maxLength = Number(value);
          break;
        case 'minLength':
          out.minLength = Number(value);
          break;
        case 'maxLength':
          out.maxLength = Number(value);
          break;
        case 'minInclusive':
          out.minimum = Number(value);
          break;
        case 'maxInclusive':
          out.maximum = Number(value);
          break;
        case 'minExclusive':
          out.exclusiveMinimum = Number(value);
          break;
        case 'maxExclusive':
          out.exclusiveMaximum = Number(value);
          break;
        case 'fractionDigits':
          out.multipleOf = Number(`1e-${Number(value)}`);
          break;
        default:
          break; // totalDigits, whiteSpace, annotation: not compared
      }
    }
    if (patterns.length > 0) out.pattern = `^(?:${patterns.join('|')})$`;
    if (enumeration.length > 0) out.enum = enumeration;
    return out;
  }

  private complexType(complexType: Element): SchemaObject {
    const out: SchemaObject = {
      type: 'object',
      additionalProperties: false,
      properties: {} as Record<string, JsonSchema>,
    };
    const required: string[] = [];
    this.collectContent(complexType, out, required, false);
    if (required.length > 0) out.required = required;
    return out;
  }

  private collectContent(container: Element, out: SchemaObject, required: string[], optional: boolean): void {
    const properties = out.properties as Record<string, JsonSchema>;
    for (const child of xsChildren(container)) {
      switch (child.localName ?? '') {
        case 'sequence':
        case 'all':
          this.collectContent(child, out, required, optional || minOccurs(child) === 0);
          break;
        case 'choice':
          this.collectContent(child, out, required, true);
          break;
        case 'element': {
          const name = localPart(child.getAttribute('name') ?? child.getAttribute('ref') ?? '');
          const min = minOccurs(child);
          const max = child.getAttribute('maxOccurs') ?? '1';
          const occurrences: SchemaObject = { type: 'array', items: this.elementType(child) };
          if (max !== 'unbounded') occurrences.maxItems = Number(max);
          if (min > 1) occurrences.minItems = min;
          properties[name] = occurrences;
          if (min >= 1 && !optional) required.push(name);
          break;
        }
        case 'any':
          out.additionalProperties = true;
          break;
        case 'attribute': {
          const name = `@${localPart(child.getAttribute('name') ?? child.getAttribute('ref') ?? '')}`;
          const type = child.getAttribute('type');
          const inline = xsChildren(child).find((c) => c.localName === 'simpleType');
          properties[name] = type ? this.typeByName(type) : inline ? this.simpleType(inline) : { type: 'string' };
          if (child.getAttribute('use') === 'required') required.push(name);
          break;
        }
        case 'complexContent':
        case 'simpleContent':
          this.collectDerivation(child, out, required, optional);
          break;
        case 'anyAttribute':
        case 'annotation':
          break;
        default:
          throw new Error(`XSD construct xs:${child.localName} is not supported by the compatibility check`);
      }
    }
  }

  private collectDerivation(content: Element, out: SchemaObject, required: string[], optional: boolean): void {
    const derivation = xsChildren(content).find((c) => c.localName === 'extension' || c.localName === 'restriction');
    if (!derivation) return;
    const base = derivation.getAttribute('base') ?? '';
    const properties = out.properties as Record<string, JsonSchema>;
    if (content.localName === 'simpleContent') {
      properties['#text'] = this.typeByName(base);
      required.push('#text');
    } else if (derivation.localName === 'extension' && !isXsQName(base, this.schema)) {
      const baseType = this.complexTypes.get(localPart(base));
      if (!baseType) throw new Error(`XSD base type '${base}' does not resolve`);
      this.collectContent(baseType, out, required, optional);
    }
    this.collectContent(derivation, out, required, optional);
  }
}

function xsChildren(element: Element): Element[] {
  const out: Element[] = [];
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && (node as Element).namespaceURI === XS) out.push(node as Element);
  }
  return out;
}

function minOccurs(element: Element): number {
  return Number(element.getAttribute('minOccurs') ?? '1');
}

function localPart(qname: string): string {
  const colon = qname.indexOf(':');
  return colon === -1 ? qname : qname.slice(colon + 1);
}

function isXsQName(qname: string, context: Element): boolean {
  const colon = qname.indexOf(':');
  const prefix = colon === -1 ? null : qname.slice(0, colon);
  return context.lookupNamespaceURI(prefix) === XS;
}

const STRING_FORMATS: Record<string, string> = {
  date: 'date',
  dateTime: 'date-time',
  time: 'time',
  duration: 'duration',
};
const INTEGER_MINIMUM: Record<string, number> = {
  nonNegativeInteger: 0,
  positiveInteger: 1,
  unsignedLong: 0,
  unsignedInt: 0,
  unsignedShort: 0,
  unsignedByte: 0,
};
const INTEGERS = new Set([
  'integer',
  'int',
  'long',
  'short',
  'byte',
  'nonNegativeInteger',
  'positiveInteger',
  'negativeInteger',
  'nonPositiveInteger',
  'unsignedLong',
  'unsignedInt',
  'unsignedShort',
  'unsignedByte',
]);

function builtin(name: string): SchemaObject {
  if (name === 'anyType') return {};
  if (name === 'boolean') return { type: 'boolean' };
  if (name === 'decimal' || name === 'double' || name === 'float') return { type: 'number' };
  if (INTEGERS.has(name)) {
    return name in INTEGER_MINIMUM ? { type: 'integer', minimum: INTEGER_MINIMUM[name] } : { type: 'integer' };
  }
  if (name === 'string' || name === 'anySimpleType') return { type: 'string' };
  return { type: 'string', format: STRING_FORMATS[name] ?? `xsd:${name}` };
}
