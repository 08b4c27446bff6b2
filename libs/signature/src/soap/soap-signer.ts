import { randomBytes } from 'node:crypto';
import { Document, Element, Node } from '@xmldom/xmldom';
import { locateStartTags, namespaceInScope, normalizeXmlLineEndings } from '@korpu/xml';
import { Clock, systemClock } from '../clock';
import type { KeyRing, SigningKey } from '../keys/key-ring';
import { SignatureErrorCode } from '../signature-error-code';
import { SignatureException } from '../signature.exception';
import { escapeAttribute, excC14n } from '../xml/exc-c14n';
import { childElements, childrenNamed, descendantsNamed, parseXmlStrict } from '../xml/safe-xml';
import { digest, SIGNATURE_METHODS, XmlDsig, xmlSign } from '../xml/xml-dsig-algorithms';
import { Ns, WsseToken, XROAD_SIGNED_HEADERS } from './ws-security.constants';

export interface SoapSignerOptions {
  /** Lifetime written into wsu:Timestamp/wsu:Expires. Default 300 s. */
  timestampTtlSeconds?: number;
  clock?: Clock;
  maxXmlBytes?: number;
}

export interface SoapSignOptions {
  /** Key to sign with; the key ring's default otherwise. */
  kid?: string;
}

/**
 * Signs SOAP 1.1 envelopes with a WS-Security header: wsse:Security holding a wsu:Timestamp, a
 * wsse:BinarySecurityToken with the signing certificate and a ds:Signature (exclusive c14n, RSA-SHA256 or
 * ECDSA-SHA256 by key type, SHA-256 digests) over soap:Body, the timestamp and every X-Road header present.
 */
export class SoapSigner {
  private readonly ttlMs: number;
  private readonly clock: Clock;

  constructor(
    private readonly keyRing: KeyRing,
    private readonly options: SoapSignerOptions = {},
  ) {
    this.ttlMs = (options.timestampTtlSeconds ?? 300) * 1000;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Parses the envelope once (strictly: no DTD, size and complexity limits), canonicalizes and digests the signed
   * elements from that DOM, and inserts the WS-Security header, the wsu:Id attributes and the wsu declaration into
   * the text at the start tags the DOM names, so the rest of the message goes out byte for byte as it came in (after
   * XML line-end normalization) instead of being serialized again.
   *
   * @returns the signed envelope as XML text
   */
  sign(envelopeXml: string, options: SoapSignOptions = {}): string {
    const key = this.keyRing.resolve(options.kid);
    const doc = parseXmlStrict(envelopeXml, this.options.maxXmlBytes);
    return this.signDocument(normalizeXmlLineEndings(envelopeXml), doc, key);
  }

  private signDocument(text: string, doc: Document, key: SigningKey): string {
    const envelope = doc.documentElement!;
    if (envelope.namespaceURI !== Ns.SOAP11 || envelope.localName !== 'Envelope') {
      throw new SignatureException(SignatureErrorCode.XML_MALFORMED, 'not a SOAP 1.1 Envelope');
    }
    const bodies = childrenNamed(envelope, Ns.SOAP11, 'Body');
    if (bodies.length !== 1) throw new SignatureException(SignatureErrorCode.XML_MALFORMED, 'the Envelope must have exactly one Body');
    const body = bodies[0];
    // An element's local name is written out in its start tag (names take no character references): a text without
    // "Signature" has no ds:Signature, and the walk of the whole DOM (on a 100 KB message, as long as canonicalizing
    // the Body: the fresh DOM is not in the CPU caches) is skipped.
    if (text.includes('Signature') && descendantsNamed(doc, Ns.DS, 'Signature').length > 0) {
      throw new SignatureException(SignatureErrorCode.DUPLICATE, 'the envelope is already signed');
    }
    const header: Element | undefined = childrenNamed(envelope, Ns.SOAP11, 'Header')[0];
    const xroadHeaders = header
      ? childElements(header).filter((h) => h.namespaceURI === Ns.XROAD && (XROAD_SIGNED_HEADERS as readonly string[]).includes(h.localName ?? ''))
      : [];

    // Where the text changes: start tags located by their element's position in document order.
    const edits: TextEdit[] = [];
    const declareWsu = namespaceInScope(envelope, 'wsu') === undefined;
    const targets: { element: Element; id: string }[] = [];
    for (const element of [body, ...xroadHeaders]) {
      const existing = element.getAttributeNS(Ns.WSU, 'Id');
      if (existing) {
        targets.push({ element, id: existing });
        continue;
      }
      const inScope = namespaceInScope(element, 'wsu') ?? (declareWsu ? Ns.WSU : undefined);
      if (inScope !== Ns.WSU) {
        throw new SignatureException(SignatureErrorCode.XML_MALFORMED, `the prefix wsu is bound to ${inScope} at ${element.tagName}, not to the WS-Security utility namespace`);
      }
      const id = newId(element.localName === 'Body' ? 'Body' : (element.localName ?? 'id'));
      element.setAttributeNS(Ns.WSU, 'wsu:Id', id); // so that its canonical form, digested below, carries it
      targets.push({ element, id });
      edits.push({ element, at: 'after-name', text: ` wsu:Id="${escapeAttribute(id)}"` });
    }
    if (declareWsu) edits.push({ element: envelope, at: 'after-name', text: ` xmlns:wsu="${Ns.WSU}"` });

    // The Security header, built as text; the Timestamp and SignedInfo in their canonical form.
    const soapPrefix = envelope.prefix && !RESERVED_PREFIXES.has(envelope.prefix) ? envelope.prefix : 'soapenv';
    const soapDeclared = namespaceInScope(header ?? envelope, soapPrefix) === Ns.SOAP11;
    const now = this.clock.now();
    const tsId = newId('TS');
    const timestampContent = `<wsu:Created>${new Date(now).toISOString()}</wsu:Created><wsu:Expires>${new Date(now + this.ttlMs).toISOString()}</wsu:Expires>`;
    const timestamp = `<wsu:Timestamp wsu:Id="${tsId}">${timestampContent}</wsu:Timestamp>`;
    const canonicalTimestamp = `<wsu:Timestamp xmlns:wsu="${Ns.WSU}" wsu:Id="${tsId}">${timestampContent}</wsu:Timestamp>`;

    const method = key.type === 'ec' ? SIGNATURE_METHODS[XmlDsig.ECDSA_SHA256] : SIGNATURE_METHODS[XmlDsig.RSA_SHA256];
    const references = [
      reference(targets[0].id, digestOf(excC14n(targets[0].element))),
      reference(tsId, digestOf(canonicalTimestamp)),
      ...targets.slice(1).map((t) => reference(t.id, digestOf(excC14n(t.element)))),
    ];
    // Written in canonical form (end tags, sorted attributes, escaped Ids); the document has the same SignedInfo with the
    // empty elements self-closed, as xmldom serializes them, and without the xmlns:ds that c14n moves onto it from ds:Signature.
    const signedInfoContent =
      `<ds:CanonicalizationMethod Algorithm="${XmlDsig.EXC_C14N}"></ds:CanonicalizationMethod>` +
      `<ds:SignatureMethod Algorithm="${method.uri}"></ds:SignatureMethod>${references.join('')}`;
    const canonicalSignedInfo = `<ds:SignedInfo xmlns:ds="${Ns.DS}">${signedInfoContent}</ds:SignedInfo>`;
    const signatureValue = xmlSign(method, canonicalSignedInfo, key.privateKey).toString('base64');
    const signedInfo = `<ds:SignedInfo>${signedInfoContent.replace(EMPTY_DS_ELEMENT, '"/>')}</ds:SignedInfo>`;

    const bstId = newId('X509');
    const security =
      `<wsse:Security xmlns:wsse="${Ns.WSSE}" xmlns:wsu="${Ns.WSU}"${soapDeclared ? '' : ` xmlns:${soapPrefix}="${Ns.SOAP11}"`} ${soapPrefix}:mustUnderstand="1">` +
      timestamp +
      `<wsse:BinarySecurityToken EncodingType="${WsseToken.BASE64_BINARY}" ValueType="${WsseToken.X509V3}" wsu:Id="${bstId}">${key.certificate.raw.toString('base64')}</wsse:BinarySecurityToken>` +
      `<ds:Signature xmlns:ds="${Ns.DS}" Id="${newId('SIG')}">${signedInfo}<ds:SignatureValue>${signatureValue}</ds:SignatureValue>` +
      `<ds:KeyInfo><wsse:SecurityTokenReference><wsse:Reference URI="#${bstId}" ValueType="${WsseToken.X509V3}"/></wsse:SecurityTokenReference></ds:KeyInfo>` +
      `</ds:Signature></wsse:Security>`;
    if (header) {
      edits.push({ element: header, at: 'content-start', text: security });
    } else {
      const headerName = envelope.prefix ? `${envelope.prefix}:Header` : 'Header';
      edits.push({ element: body, at: 'before', text: `<${headerName}>${security}</${headerName}>` });
    }
    return applyEdits(text, doc, edits);
  }
}

/** The end tag right after the last attribute of the empty elements of SignedInfo. */
const EMPTY_DS_ELEMENT = /"><\/ds:(?:CanonicalizationMethod|SignatureMethod|Transform|DigestMethod)>/g;

/** Prefixes the Security header declares itself, so the soap:mustUnderstand attribute cannot use them. */
const RESERVED_PREFIXES = new Set(['wsse', 'wsu', 'ds']);

interface TextEdit {
  element: Element;
  /** `after-name`: inside the start tag, after the element name; `content-start`: first thing in the content; `before`: before the start tag. */
  at: 'after-name' | 'content-start' | 'before';
  text: string;
}

/** Applies the edits to `text`, the very text `doc` was parsed from. */
function applyEdits(text: string, doc: Document, edits: TextEdit[]): string {
  const indexes = elementIndexes(doc, new Set(edits.map((e) => e.element)));
  const tags = locateStartTags(text, Math.max(...indexes.values()) + 1);
  const splices = edits.map((edit) => {
    const tag = tags[indexes.get(edit.element)!];
    const name = edit.element.tagName;
    const afterName = tag.start + 1 + name.length;
    if (!text.startsWith(name, tag.start + 1) || !/[\s/>]/.test(text[afterName])) throw new Error(`the start tag of ${name} is not where the DOM puts it`);
    if (edit.at === 'after-name') return { from: afterName, to: afterName, text: edit.text };
    if (edit.at === 'before') return { from: tag.start, to: tag.start, text: edit.text };
    // An empty element written <h/> gets content and an end tag.
    return tag.selfClosing
      ? { from: tag.end - 1, to: tag.end + 1, text: `>${edit.text}</${name}>` }
      : { from: tag.end + 1, to: tag.end + 1, text: edit.text };
  });
  splices.sort((a, b) => a.from - b.from);
  let out = '';
  let cursor = 0;
  for (const s of splices) {
    out += text.slice(cursor, s.from) + s.text;
    cursor = s.to;
  }
  return out + text.slice(cursor);
}

/** The document-order index (0 for the root) of each wanted element, walking only as far as the last of them. */
function elementIndexes(doc: Document, wanted: Set<Element>): Map<Element, number> {
  const found = new Map<Element, number>();
  let index = 0;
  const walk = (parent: Node): boolean => {
    for (let n = parent.firstChild; n; n = n.nextSibling) {
      if (n.nodeType !== Node.ELEMENT_NODE) continue;
      if (wanted.has(n as Element)) found.set(n as Element, index);
      index++;
      if (found.size === wanted.size || walk(n)) return true;
    }
    return false;
  };
  walk(doc);
  return found;
}

function reference(id: string, digestValue: string): string {
  return (
    `<ds:Reference URI="#${escapeAttribute(id)}"><ds:Transforms><ds:Transform Algorithm="${XmlDsig.EXC_C14N}"></ds:Transform></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="${XmlDsig.SHA256}"></ds:DigestMethod><ds:DigestValue>${digestValue}</ds:DigestValue></ds:Reference>`
  );
}

function digestOf(canonical: string): string {
  return digest('sha256', canonical).toString('base64');
}

function newId(prefix: string): string {
  return `${prefix}-${randomBytes(12).toString('hex')}`;
}
