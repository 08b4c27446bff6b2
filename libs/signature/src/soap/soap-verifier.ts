import { timingSafeEqual, X509Certificate } from 'node:crypto';
import { Attr, Document, Element, Node } from '@xmldom/xmldom';
import { Clock, systemClock } from '../clock';
import { SignatureErrorCode as Code } from '../signature-error-code';
import { SignatureException } from '../signature.exception';
import { strictBase64 } from '../trust/pki-encoding';
import type { TrustStore, ValidatedCertificate } from '../trust/trust-store';
import { excC14n } from '../xml/exc-c14n';
import { childElements, childrenNamed, parseXmlStrict, pureText } from '../xml/safe-xml';
import {
  DEFAULT_ALLOWED_C14N_METHODS,
  DEFAULT_ALLOWED_DIGEST_METHODS,
  DEFAULT_ALLOWED_SIGNATURE_METHODS,
  DEFAULT_ALLOWED_TRANSFORMS,
  digest,
  DIGEST_METHODS,
  SIGNATURE_METHODS,
  XmlSignatureMethod,
  xmlVerify,
} from '../xml/xml-dsig-algorithms';
import { DEFAULT_REQUIRED_XROAD_HEADERS, Ns, WsseToken, XROAD_SIGNED_HEADERS, XroadHeaderName } from './ws-security.constants';

export interface SoapVerifierOptions {
  /** Tolerated clock difference with the sender. Default 60 s. */
  clockSkewSeconds?: number;
  /** Oldest accepted wsu:Created, even when wsu:Expires is later. Default 300 s. */
  maxMessageAgeSeconds?: number;
  /** X-Road headers that must be present (and, like every X-Road header present, signed). */
  requiredXroadHeaders?: XroadHeaderName[];
  allowedSignatureMethods?: string[];
  allowedDigestMethods?: string[];
  allowedCanonicalizationMethods?: string[];
  allowedTransforms?: string[];
  maxXmlBytes?: number;
  clock?: Clock;
}

/** A SOAP message whose signature, references, timestamp and signer certificate all checked out. */
export interface VerifiedSoapMessage {
  signer: ValidatedCertificate;
  signatureMethod: string;
  timestamp: { created: Date; expires?: Date };
  /** The parsed document; `body` and `xroadHeaders` are the very nodes whose digests were verified. */
  document: Document;
  body: Element;
  /** Exclusive-c14n form of the Body exactly as digested — the safest thing to hand to business logic. */
  canonicalBody: string;
  xroadHeaders: Partial<Record<XroadHeaderName, Element>>;
}

interface ParsedReference {
  id: string;
  target: Element;
  inclusivePrefixes: string[];
  hash: 'sha256' | 'sha384' | 'sha512';
  digestValue: Buffer;
}

const NCNAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;

/**
 * Verifies WS-Security signed SOAP 1.1 messages, fail-closed. Checks, in order: no DOCTYPE; one Envelope
 * with one Header and one Body; exactly one wsse:Security and one ds:Signature in it; unique Ids; the strict
 * shape of ds:Signature (one SignedInfo, DigestValue with text only...); allow-listed algorithms; each
 * reference resolving to an element in an expected position (Body, Timestamp, X-Road header) and every such
 * element referenced; digests; the signature value with the BinarySecurityToken's key; the timestamp; and
 * finally the certificate against the TrustStore. Keys embedded in KeyInfo (X509Data, KeyValue) are refused.
 */
export class SoapVerifier {
  private readonly clock: Clock;
  private readonly skewMs: number;
  private readonly maxAgeMs: number;
  private readonly required: XroadHeaderName[];
  private readonly allowed: { signature: string[]; digest: string[]; c14n: string[]; transforms: string[] };

  constructor(
    private readonly trustStore: TrustStore,
    private readonly options: SoapVerifierOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.skewMs = (options.clockSkewSeconds ?? 60) * 1000;
    this.maxAgeMs = (options.maxMessageAgeSeconds ?? 300) * 1000;
    this.required = options.requiredXroadHeaders ?? DEFAULT_REQUIRED_XROAD_HEADERS;
    this.allowed = {
      signature: options.allowedSignatureMethods ?? DEFAULT_ALLOWED_SIGNATURE_METHODS,
      digest: options.allowedDigestMethods ?? DEFAULT_ALLOWED_DIGEST_METHODS,
      c14n: options.allowedCanonicalizationMethods ?? DEFAULT_ALLOWED_C14N_METHODS,
      transforms: options.allowedTransforms ?? DEFAULT_ALLOWED_TRANSFORMS,
    };
  }

  /** @throws SignatureException with a SignatureErrorCode naming the first failed check */
  async verify(xml: string): Promise<VerifiedSoapMessage> {
    const doc = parseXmlStrict(xml, this.options.maxXmlBytes);

    // 1. envelope shape
    const envelope = doc.documentElement!;
    if (envelope.namespaceURI !== Ns.SOAP11 || envelope.localName !== 'Envelope') fail(Code.XML_MALFORMED, 'not a SOAP 1.1 Envelope');
    const headers = childrenNamed(envelope, Ns.SOAP11, 'Header');
    const bodies = childrenNamed(envelope, Ns.SOAP11, 'Body');
    if (bodies.length > 1 || headers.length > 1) fail(Code.WRAPPING, 'the Envelope has more than one Body or Header');
    if (bodies.length === 0) fail(Code.XML_MALFORMED, 'the Envelope has no Body');
    const body = bodies[0];
    const header = headers[0];
    if (!header) fail(Code.MISSING, 'no soap:Header, hence no WS-Security header');

    // 2. exactly one Security header holding exactly one Signature (one walk finds them, the Ids and any comment)
    const scan = scanDocument(doc);
    const securities = scan.securities;
    if (securities.length === 0) fail(Code.MISSING, 'no wsse:Security header');
    if (securities.length > 1) fail(Code.DUPLICATE, 'more than one wsse:Security element');
    const security = securities[0];
    if (security.parentNode !== header) fail(Code.WRAPPING, 'wsse:Security is not a child of soap:Header');
    const signatures = scan.signatures;
    if (signatures.length === 0) fail(Code.MISSING, 'no ds:Signature');
    if (signatures.length > 1) fail(Code.DUPLICATE, 'more than one ds:Signature in the message');
    const signature = signatures[0];
    if (signature.parentNode !== security) fail(Code.WRAPPING, 'ds:Signature is not a child of wsse:Security');

    // 3. unique Ids
    if (scan.duplicateId !== undefined) fail(Code.DUPLICATE_ID, `Id "${scan.duplicateId}" appears on more than one element`, { id: scan.duplicateId });
    const ids = scan.ids;

    // 4. the shape of ds:Signature and the algorithms it names
    const { signedInfo, signatureValue, keyInfo } = this.signatureParts(signature);
    const c14nInclusive = this.checkCanonicalizationMethod(signedInfo);
    const method = this.signatureMethod(signedInfo);
    const timestamps = childrenNamed(security, Ns.WSU, 'Timestamp');
    if (timestamps.length > 1) fail(Code.DUPLICATE, 'more than one wsu:Timestamp');
    const timestamp = timestamps[0];
    if (!timestamp) fail(Code.TIMESTAMP_MISSING, 'no wsu:Timestamp in the Security header');
    const references = this.references(signedInfo, ids);

    // 5. what is referenced: only expected positions, and everything that must be signed
    const xroadHeaders = this.xroadHeaders(header);
    const bsts = childrenNamed(security, Ns.WSSE, 'BinarySecurityToken');
    const allowedTargets = new Set<Element>([body, timestamp, ...Object.values(xroadHeaders), ...bsts]);
    const referenced = new Set<Element>();
    for (const ref of references) {
      if (!allowedTargets.has(ref.target)) fail(Code.WRAPPING, `reference #${ref.id} points at an element outside the expected positions`, { id: ref.id });
      if (referenced.has(ref.target)) fail(Code.MALFORMED, `element #${ref.id} is referenced twice`);
      // c14n drops comments and PIs, so they could change what a DOM reader sees without changing the digest.
      if (scan.hasCommentOrPi) assertNoCommentsOrPis(ref.target);
      referenced.add(ref.target);
    }
    if (!referenced.has(body)) fail(Code.MISSING_REFERENCE, 'soap:Body is not signed');
    if (!referenced.has(timestamp)) fail(Code.MISSING_REFERENCE, 'wsu:Timestamp is not signed');
    for (const name of this.required) if (!xroadHeaders[name]) fail(Code.MISSING_REFERENCE, `required header xrd:${name} is absent`, { header: name });
    for (const [name, h] of Object.entries(xroadHeaders)) {
      if (!referenced.has(h)) fail(Code.MISSING_REFERENCE, `header xrd:${name} is not signed`, { header: name });
    }

    // 6. the signing certificate: only via a SecurityTokenReference to a BST of this Security header
    const certificate = this.signingCertificate(keyInfo, ids, security);
    const keyType = certificate.publicKey.asymmetricKeyType;
    if (keyType !== method.keyType) fail(Code.ALGORITHM_NOT_ALLOWED, `${method.uri} does not fit a ${keyType} key`);

    // 7. digests, then the signature value over the canonical SignedInfo
    let canonicalBody = '';
    for (const ref of references) {
      const canonical = excC14n(ref.target, ref.inclusivePrefixes);
      if (!sameBytes(digest(ref.hash, canonical), ref.digestValue)) {
        if (ref.target === body) fail(Code.TAMPERED_BODY, 'the digest of soap:Body does not match');
        fail(Code.DIGEST_MISMATCH, `the digest of #${ref.id} does not match`, { id: ref.id });
      }
      if (ref.target === body) canonicalBody = canonical;
    }
    if (!xmlVerify(method, excC14n(signedInfo, c14nInclusive), certificate.publicKey, signatureValue)) {
      fail(Code.INVALID, 'the signature value does not verify');
    }

    // 8. freshness, 9. trust
    const ts = this.checkTimestamp(timestamp);
    const signer = await this.trustStore.validate(certificate);
    return { signer, signatureMethod: method.uri, timestamp: ts, document: doc, body, canonicalBody, xroadHeaders };
  }

  // ---------------------------------------------------------------------------------------------
  private signatureParts(signature: Element): { signedInfo: Element; signatureValue: Buffer; keyInfo: Element } {
    assertOnlyElements(signature);
    const children = childElements(signature);
    const foreign = children.find((c) => c.namespaceURI !== Ns.DS || !['SignedInfo', 'SignatureValue', 'KeyInfo'].includes(c.localName ?? ''));
    if (foreign) fail(Code.MALFORMED, `unexpected element ${foreign.tagName} in ds:Signature`);
    const signedInfos = childrenNamed(signature, Ns.DS, 'SignedInfo');
    if (signedInfos.length !== 1) fail(signedInfos.length > 1 ? Code.DUPLICATE : Code.MALFORMED, 'ds:Signature must have exactly one SignedInfo');
    const values = childrenNamed(signature, Ns.DS, 'SignatureValue');
    if (values.length !== 1) fail(Code.MALFORMED, 'ds:Signature must have exactly one SignatureValue');
    const keyInfos = childrenNamed(signature, Ns.DS, 'KeyInfo');
    if (keyInfos.length !== 1) fail(Code.KEY_INFO_INVALID, 'ds:Signature must have exactly one KeyInfo');
    const valueText = pureText(values[0]);
    const signatureValue = valueText === undefined ? undefined : strictBase64(valueText);
    if (!signatureValue) fail(Code.MALFORMED, 'SignatureValue must be plain base64 text');
    return { signedInfo: signedInfos[0], signatureValue, keyInfo: keyInfos[0] };
  }

  private checkCanonicalizationMethod(signedInfo: Element): string[] {
    assertOnlyElements(signedInfo);
    const children = childElements(signedInfo);
    if (children.some((c) => c.namespaceURI !== Ns.DS || !['CanonicalizationMethod', 'SignatureMethod', 'Reference'].includes(c.localName ?? ''))) {
      fail(Code.MALFORMED, 'unexpected element in SignedInfo');
    }
    const methods = childrenNamed(signedInfo, Ns.DS, 'CanonicalizationMethod');
    if (methods.length !== 1 || children[0] !== methods[0]) fail(Code.MALFORMED, 'SignedInfo must start with one CanonicalizationMethod');
    const algorithm = methods[0].getAttribute('Algorithm') ?? '';
    if (!this.allowed.c14n.includes(algorithm)) fail(Code.ALGORITHM_NOT_ALLOWED, `canonicalization ${algorithm} is not allowed`, { algorithm });
    return this.inclusivePrefixes(methods[0]);
  }

  private signatureMethod(signedInfo: Element): XmlSignatureMethod {
    const methods = childrenNamed(signedInfo, Ns.DS, 'SignatureMethod');
    if (methods.length !== 1) fail(Code.MALFORMED, 'SignedInfo must have one SignatureMethod');
    if (childElements(methods[0]).length > 0) fail(Code.MALFORMED, 'SignatureMethod must be empty (no HMACOutputLength)');
    const algorithm = methods[0].getAttribute('Algorithm') ?? '';
    const method = SIGNATURE_METHODS[algorithm];
    if (!this.allowed.signature.includes(algorithm) || !method) fail(Code.ALGORITHM_NOT_ALLOWED, `signature method ${algorithm} is not allowed`, { algorithm });
    return method;
  }

  private references(signedInfo: Element, ids: Map<string, Element>): ParsedReference[] {
    const refs = childrenNamed(signedInfo, Ns.DS, 'Reference');
    if (refs.length === 0) fail(Code.MALFORMED, 'SignedInfo has no Reference');
    const seen = new Set<string>();
    return refs.map((ref) => {
      assertOnlyElements(ref);
      const uri = ref.getAttribute('URI') ?? '';
      const id = uri.startsWith('#') ? uri.slice(1) : '';
      if (!NCNAME.test(id)) fail(Code.MALFORMED, `Reference URI "${uri}" is not a same-document #id reference`);
      if (seen.has(id)) fail(Code.MALFORMED, `Reference URI ${uri} appears twice`);
      seen.add(id);
      const children = childElements(ref);
      const transforms = childrenNamed(ref, Ns.DS, 'Transforms');
      const digestMethods = childrenNamed(ref, Ns.DS, 'DigestMethod');
      const digestValues = childrenNamed(ref, Ns.DS, 'DigestValue');
      if (transforms.length > 1 || digestMethods.length !== 1 || digestValues.length !== 1 || children.length !== transforms.length + 2) {
        fail(Code.MALFORMED, `Reference ${uri} must have at most one Transforms, one DigestMethod and one DigestValue`);
      }
      let inclusivePrefixes: string[] = [];
      const transformList = transforms[0] ? childElements(transforms[0]) : [];
      if (transforms[0] && transformList.length === 0) fail(Code.MALFORMED, 'empty Transforms');
      for (const t of transformList) {
        const algorithm = t.getAttribute('Algorithm') ?? '';
        if (t.namespaceURI !== Ns.DS || t.localName !== 'Transform' || !this.allowed.transforms.includes(algorithm)) {
          fail(Code.ALGORITHM_NOT_ALLOWED, `transform ${algorithm} is not allowed`, { algorithm });
        }
        inclusivePrefixes = this.inclusivePrefixes(t);
      }
      const digestAlgorithm = digestMethods[0].getAttribute('Algorithm') ?? '';
      const hash = DIGEST_METHODS[digestAlgorithm];
      if (!this.allowed.digest.includes(digestAlgorithm) || !hash) fail(Code.ALGORITHM_NOT_ALLOWED, `digest ${digestAlgorithm} is not allowed`, { algorithm: digestAlgorithm });
      // CVE-2025-29775: a comment (or anything but text) inside DigestValue is refused outright.
      const text = pureText(digestValues[0]);
      const digestValue = text === undefined ? undefined : strictBase64(text);
      if (!digestValue) fail(Code.MALFORMED, `DigestValue of ${uri} must be plain base64 text`);
      const target = ids.get(id);
      if (!target) fail(Code.WRAPPING, `Reference ${uri} points at no element`, { id });
      return { id, target, inclusivePrefixes, hash, digestValue };
    });
  }

  private inclusivePrefixes(method: Element): string[] {
    const children = childElements(method);
    if (children.length === 0) return [];
    const inc = children[0];
    if (children.length > 1 || inc.namespaceURI !== Ns.EC || inc.localName !== 'InclusiveNamespaces') {
      fail(Code.MALFORMED, 'unexpected content in a canonicalization method');
    }
    return (inc.getAttribute('PrefixList') ?? '').split(/\s+/).filter((p) => p && p !== '#default');
  }

  private xroadHeaders(header: Element): Partial<Record<XroadHeaderName, Element>> {
    const out: Partial<Record<XroadHeaderName, Element>> = {};
    for (const h of childElements(header)) {
      if (h.namespaceURI !== Ns.XROAD || !(XROAD_SIGNED_HEADERS as readonly string[]).includes(h.localName ?? '')) continue;
      const name = h.localName as XroadHeaderName;
      if (out[name]) fail(Code.WRAPPING, `header xrd:${name} appears twice`, { header: name });
      out[name] = h;
    }
    return out;
  }

  private signingCertificate(keyInfo: Element, ids: Map<string, Element>, security: Element): X509Certificate {
    assertOnlyElements(keyInfo);
    const children = childElements(keyInfo);
    const str = children[0];
    if (children.length !== 1 || str.namespaceURI !== Ns.WSSE || str.localName !== 'SecurityTokenReference') {
      fail(Code.KEY_INFO_INVALID, 'KeyInfo must hold only a wsse:SecurityTokenReference (embedded keys are not trusted)');
    }
    const refs = childElements(str);
    const ref = refs[0];
    if (refs.length !== 1 || ref.namespaceURI !== Ns.WSSE || ref.localName !== 'Reference') {
      fail(Code.KEY_INFO_INVALID, 'SecurityTokenReference must hold one wsse:Reference');
    }
    const uri = ref.getAttribute('URI') ?? '';
    const bst = uri.startsWith('#') ? ids.get(uri.slice(1)) : undefined;
    if (!bst || bst.parentNode !== security || bst.namespaceURI !== Ns.WSSE || bst.localName !== 'BinarySecurityToken') {
      fail(Code.KEY_INFO_INVALID, 'the token reference does not point at a BinarySecurityToken of this Security header');
    }
    const valueType = bst.getAttribute('ValueType');
    const encoding = bst.getAttribute('EncodingType');
    if (valueType !== WsseToken.X509V3 || (encoding && encoding !== WsseToken.BASE64_BINARY)) {
      fail(Code.KEY_INFO_INVALID, 'only X509v3 tokens in Base64Binary are accepted');
    }
    const text = pureText(bst);
    const der = text === undefined ? undefined : strictBase64(text);
    if (!der) fail(Code.KEY_INFO_INVALID, 'BinarySecurityToken is not base64');
    try {
      return new X509Certificate(der);
    } catch (cause) {
      throw new SignatureException(Code.KEY_INFO_INVALID, 'BinarySecurityToken is not an X.509 certificate', undefined, cause);
    }
  }

  private checkTimestamp(timestamp: Element): { created: Date; expires?: Date } {
    const created = childrenNamed(timestamp, Ns.WSU, 'Created');
    const expires = childrenNamed(timestamp, Ns.WSU, 'Expires');
    if (created.length !== 1 || expires.length > 1) fail(Code.TIMESTAMP_MISSING, 'wsu:Timestamp needs one Created and at most one Expires');
    const createdAt = parseXsdDateTime(pureText(created[0]));
    const expiresAt = expires[0] ? parseXsdDateTime(pureText(expires[0])) : undefined;
    if (createdAt === undefined || (expires[0] && expiresAt === undefined)) fail(Code.MALFORMED, 'wsu:Timestamp values are not xsd:dateTime in UTC');
    const now = this.clock.now();
    if (createdAt > now + this.skewMs) fail(Code.TIMESTAMP_FUTURE, 'wsu:Created is in the future', { created: new Date(createdAt).toISOString() });
    if (now - this.skewMs > createdAt + this.maxAgeMs) fail(Code.TIMESTAMP_STALE, 'wsu:Created is too old', { created: new Date(createdAt).toISOString() });
    if (expiresAt !== undefined && now - this.skewMs > expiresAt) fail(Code.TIMESTAMP_STALE, 'wsu:Expires has passed', { expires: new Date(expiresAt).toISOString() });
    return { created: new Date(createdAt), expires: expiresAt === undefined ? undefined : new Date(expiresAt) };
  }
}

function fail(code: Code, message: string, details?: Record<string, unknown>): never {
  throw new SignatureException(code, message, details);
}

interface DocumentScan {
  /** Elements by the Id attributes we resolve references against: wsu:Id, and unqualified Id / ID / id. */
  ids: Map<string, Element>;
  /** The first Id value found on two elements. */
  duplicateId?: string;
  securities: Element[];
  signatures: Element[];
  /** A comment or processing instruction inside the document element. */
  hasCommentOrPi: boolean;
}

/** One walk over the whole document, in document order (without recursion, whatever the depth). */
function scanDocument(doc: Document): DocumentScan {
  const scan: DocumentScan = { ids: new Map(), securities: [], signatures: [], hasCommentOrPi: false };
  let n: Node | null = doc.firstChild;
  while (n) {
    const type = n.nodeType;
    if (type === Node.ELEMENT_NODE) {
      const e = n as Element;
      if (e.localName === 'Security' && e.namespaceURI === Ns.WSSE) scan.securities.push(e);
      else if (e.localName === 'Signature' && e.namespaceURI === Ns.DS) scan.signatures.push(e);
      const attrs = e.attributes;
      for (let i = 0; i < attrs.length; i++) {
        const a = attrs.item(i) as Attr;
        const isId = a.namespaceURI === Ns.WSU ? a.localName === 'Id' : !a.namespaceURI && (a.name === 'Id' || a.name === 'ID' || a.name === 'id');
        if (!isId) continue;
        const holder = scan.ids.get(a.value);
        if (holder && holder !== e) scan.duplicateId ??= a.value;
        scan.ids.set(a.value, e);
      }
      if (e.firstChild) {
        n = e.firstChild;
        continue;
      }
    } else if ((type === Node.COMMENT_NODE || type === Node.PROCESSING_INSTRUCTION_NODE) && n.parentNode !== doc) {
      scan.hasCommentOrPi = true; // inside the Envelope (the XML declaration is a PI of the document)
    }
    while (n && !n.nextSibling) n = n.parentNode;
    if (n) n = n.nextSibling;
  }
  return scan;
}

/** Only whitespace text may sit between the elements of the signature structure (no comments, PIs, text). */
function assertOnlyElements(el: Element): void {
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === Node.ELEMENT_NODE) continue;
    if (n.nodeType === Node.TEXT_NODE && /^\s*$/.test((n as unknown as { data: string }).data)) continue;
    fail(Code.MALFORMED, `unexpected non-element content in ${el.tagName}`);
  }
}

function assertNoCommentsOrPis(root: Element): void {
  const walk = (node: Node): void => {
    for (let n = node.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === Node.COMMENT_NODE || n.nodeType === Node.PROCESSING_INSTRUCTION_NODE) {
        fail(Code.MALFORMED, 'signed elements may not contain comments or processing instructions');
      }
      if (n.nodeType === Node.ELEMENT_NODE) walk(n);
    }
  };
  walk(root);
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

const XSD_DATETIME_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]00:00)$/;

function parseXsdDateTime(text: string | undefined): number | undefined {
  const value = text?.trim();
  if (!value || !XSD_DATETIME_UTC.test(value)) return undefined;
  const ms = Date.parse(value.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(ms) ? undefined : ms;
}
