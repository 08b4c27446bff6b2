import type { XmlDocument, XsdValidator } from 'libxml2-wasm';
import { SchemaViolation } from '../schema.exception';
import type { Libxml2 } from './libxml2.adapter';
import { declaresDoctype } from './xml-doctype.check';

export type XmlValidationResult =
  | { outcome: 'valid' }
  | { outcome: 'doctype-forbidden' }
  | { outcome: 'malformed'; violations: SchemaViolation[] }
  | { outcome: 'invalid'; violations: SchemaViolation[]; truncated: boolean };

interface ErrorDetail {
  message: string;
  line: number;
  col: number;
  xpath?: string;
}

/**
 * XSD validators compiled once with libxml2 (WebAssembly build). Payloads are parsed without DTD loading, entity
 * substitution or network access, and any document type declaration is refused before parsing.
 */
export class XmlPayloadValidators {
  private readonly validators = new Map<string, XsdValidator>();
  private readonly parseOptions: number;

  constructor(
    private readonly libxml2: Libxml2,
    private readonly maxViolations: number,
  ) {
    const { ParseOption } = libxml2;
    // Not XML_PARSE_NOENT (entity substitution), DTDLOAD, DTDATTR, DTDVALID, XINCLUDE or HUGE.
    this.parseOptions = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE | ParseOption.XML_PARSE_NOWARNING;
  }

  /** Throws libxml2's error when the XSD does not compile. */
  add(key: string, xsd: string): void {
    if (declaresDoctype(xsd)) throw new Error('An XSD with a DOCTYPE is not accepted');
    const schemaDoc = this.libxml2.XmlDocument.fromString(xsd, { option: this.parseOptions });
    try {
      this.validators.set(key, this.libxml2.XsdValidator.fromDoc(schemaDoc));
    } finally {
      schemaDoc.dispose();
    }
  }

  validate(key: string, xml: string): XmlValidationResult {
    const validator = this.validators.get(key);
    if (!validator) throw new Error(`No XSD compiled under '${key}'`);
    if (declaresDoctype(xml)) return { outcome: 'doctype-forbidden' };

    let doc: XmlDocument;
    try {
      doc = this.libxml2.XmlDocument.fromString(xml, { option: this.parseOptions });
    } catch (error: unknown) {
      if (error instanceof this.libxml2.XmlLibError) {
        return { outcome: 'malformed', violations: this.toViolations(error.details, 'well-formedness') };
      }
      throw error;
    }
    try {
      // Belt and braces: the prolog scan should make this impossible.
      if (doc.dtd !== null) return { outcome: 'doctype-forbidden' };
      validator.validate(doc);
      return { outcome: 'valid' };
    } catch (error: unknown) {
      if (error instanceof this.libxml2.XmlValidateError) {
        return {
          outcome: 'invalid',
          violations: this.toViolations(error.details),
          truncated: error.details.length > this.maxViolations,
        };
      }
      throw error;
    } finally {
      doc.dispose();
    }
  }

  dispose(): void {
    for (const validator of this.validators.values()) validator.dispose();
    this.validators.clear();
  }

  private toViolations(details: readonly ErrorDetail[], rule?: string): SchemaViolation[] {
    return details.slice(0, this.maxViolations).map((d) => ({
      pointer: d.xpath ?? `line ${d.line}, column ${d.col}`,
      rule: rule ?? xsdRuleOf(d.message),
      message: d.message.trim(),
      line: d.line,
    }));
  }
}

/** Names the XSD rule a libxml2 validity error is about, from its message. */
export function xsdRuleOf(message: string): string {
  const facet = /\[facet '([A-Za-z]+)'\]/.exec(message);
  if (facet) return facet[1];
  if (/is not a valid value of the (local |)(atomic|list|union) type/.test(message)) return 'type';
  if (/Missing child element/.test(message)) return 'missing-element';
  if (/This element is not expected/.test(message)) return 'unexpected-element';
  if (/The attribute '[^']*' is required/.test(message)) return 'required-attribute';
  if (/The attribute '[^']*' is not allowed/.test(message)) return 'unexpected-attribute';
  if (/No matching global (element )?declaration/.test(message)) return 'root-element';
  if (/Character content other than whitespace is not allowed/.test(message)) return 'element-only-content';
  return 'xsd';
}
