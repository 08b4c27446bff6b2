import { DOMParser, Element, Node, XMLSerializer } from '@xmldom/xmldom';
import type { StoredMessageType } from '../registry/message-type';
import { declaresDoctype } from '../xml/xml-doctype.check';
import { ANY, elementEntryMatches, jsonPersonalPaths, parseElementEntry } from './personal-paths';

/**
 * How a personal value is shown to someone without the unmasked view: stable (the same value always masks the
 * same way, so two records can be compared), it reveals no more than a length class and, for values of 6
 * characters or more, the last 2 characters:
 *   - up to 5 characters: `****`
 *   - longer: `*` × (the smallest of 4, 8, 16, 32 that is ≥ length − 2; at most 32) + the last 2 characters,
 *     e.g. FIN `5ZXK2P7` → `********P7`, `1985-03-14` → `********14`.
 * Numbers and booleans are masked as their text (the masked value is a string).
 */
export function maskValue(value: string): string {
  const chars = [...value];
  if (chars.length <= 5) return '****';
  const hidden = chars.length - 2;
  const stars = [4, 8, 16, 32].find((size) => size >= hidden) ?? 32;
  return '*'.repeat(stars) + chars.slice(-2).join('');
}

/** What replaces a payload that cannot be read (not JSON / not XML, or an XML with a DOCTYPE): nothing of it. */
export const UNREADABLE_PAYLOAD = '[masked: unreadable payload]';

interface Trie {
  personal: boolean;
  children: Map<string, Trie>;
}

type Rule = { format: 'json'; trie: Trie } | { format: 'xml'; entries: Array<{ anchored: boolean; names: string[] }> };

/** `every` leaf is personal: what an unknown type or version gets (fail closed). */
const EVERYTHING: Rule = { format: 'json', trie: { personal: true, children: new Map() } };

function trieOf(paths: string[][]): Trie {
  const root: Trie = { personal: false, children: new Map() };
  for (const path of paths) {
    let node = root;
    for (const segment of path) {
      let next = node.children.get(segment);
      if (!next) node.children.set(segment, (next = { personal: false, children: new Map() }));
      node = next;
    }
    node.personal = true;
  }
  return root;
}

function normalizeVersion(version: string | number | null | undefined): string {
  return String(version ?? '').replace(/^v/i, '');
}

function maskEverything(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map(maskEverything);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskEverything(v)]));
  return maskValue(String(value));
}

function maskJson(value: unknown, nodes: readonly Trie[]): unknown {
  if (nodes.some((node) => node.personal)) return maskEverything(value);
  if (nodes.length === 0 || value === null || typeof value !== 'object') return value;
  const next = (key: string) => nodes.flatMap((node) => [node.children.get(key), node.children.get(ANY)]).filter((n): n is Trie => n !== undefined);
  if (Array.isArray(value)) return value.map((item) => maskJson(item, next(ANY)));
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, maskJson(child, next(key))]));
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

/** Masks every text and attribute value of a node and everything below it (namespace declarations kept). */
function maskXmlSubtree(node: Node): void {
  if (node.nodeType === ELEMENT_NODE) {
    for (const attribute of Array.from((node as Element).attributes)) {
      if (attribute.name !== 'xmlns' && !attribute.name.startsWith('xmlns:')) attribute.value = maskValue(attribute.value);
    }
  }
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if ((child.nodeType === TEXT_NODE || child.nodeType === CDATA_SECTION_NODE) && (child.nodeValue ?? '').trim() !== '') {
      const masked = maskValue((child.nodeValue ?? '').trim());
      child.nodeValue = masked;
      (child as unknown as { data: string }).data = masked;
    } else if (child.nodeType === ELEMENT_NODE) {
      maskXmlSubtree(child);
    }
  }
}

/**
 * Masks personal data in message payloads, as the schema registry declares it: `"x-personal": true` on a JSON
 * Schema property (any subschema), `schemas/<type>/personal.json` beside an XSD (element names or paths). Built
 * once from the registry's content. A payload of a type or version it does not know is masked whole (every
 * value): without a declaration nothing is assumed not to be personal.
 */
export class PersonalDataMasker {
  private constructor(private readonly rules: ReadonlyMap<string, Rule>) {}

  static fromTypes(types: readonly StoredMessageType[]): PersonalDataMasker {
    const rules = new Map<string, Rule>();
    for (const type of types) {
      for (const version of type.versions) {
        const key = `${type.name}@${version.version}`;
        if (type.descriptor.format === 'json') rules.set(key, { format: 'json', trie: trieOf(jsonPersonalPaths(JSON.parse(version.source))) });
        else rules.set(key, { format: 'xml', entries: (type.personal ?? []).map(parseElementEntry) });
      }
    }
    return new PersonalDataMasker(rules);
  }

  /** Whether (type, version) is declared at all (else everything in its payloads is masked). */
  knows(type: string | null | undefined, version: string | number | null | undefined): boolean {
    return this.rules.has(`${type ?? ''}@${normalizeVersion(version)}`);
  }

  /** A parsed JSON payload with its personal values masked (a new value; the input is not changed). */
  maskJsonValue(type: string | null | undefined, version: string | number | null | undefined, value: unknown): unknown {
    const rule = this.rules.get(`${type ?? ''}@${normalizeVersion(version)}`) ?? EVERYTHING;
    return rule.format === 'json' ? maskJson(value, [rule.trie]) : maskEverything(value);
  }

  /**
   * A payload as text (JSON text for json types, the XML for xml types) with its personal values masked. Text
   * that is not what the type says (or not readable at all) comes back as UNREADABLE_PAYLOAD.
   */
  maskText(type: string | null | undefined, version: string | number | null | undefined, payload: string): string {
    const rule = this.rules.get(`${type ?? ''}@${normalizeVersion(version)}`);
    const looksXml = payload.trimStart().startsWith('<');
    if (rule?.format === 'xml' || (!rule && looksXml)) return this.maskXml(payload, rule?.format === 'xml' ? rule : undefined);
    try {
      return JSON.stringify(this.maskJsonValue(type, version, JSON.parse(payload)));
    } catch {
      return UNREADABLE_PAYLOAD;
    }
  }

  private maskXml(payload: string, rule: Extract<Rule, { format: 'xml' }> | undefined): string {
    if (declaresDoctype(payload)) return UNREADABLE_PAYLOAD;
    let failed = false;
    let document: ReturnType<DOMParser['parseFromString']>;
    try {
      document = new DOMParser({ onError: () => (failed = true) }).parseFromString(payload, 'text/xml');
    } catch {
      return UNREADABLE_PAYLOAD;
    }
    const root = document.documentElement;
    if (failed || !root) return UNREADABLE_PAYLOAD;
    if (!rule) {
      maskXmlSubtree(document);
    } else {
      const visit = (element: Element, path: string[]): void => {
        const here = [...path, element.localName ?? element.nodeName];
        if (rule.entries.some((entry) => elementEntryMatches(entry, here))) {
          maskXmlSubtree(element);
          return;
        }
        for (let child = element.firstChild; child; child = child.nextSibling) if (child.nodeType === ELEMENT_NODE) visit(child as Element, here);
      };
      visit(root, []);
    }
    return new XMLSerializer().serializeToString(document);
  }
}
