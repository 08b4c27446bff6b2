import { randomBytes } from 'node:crypto';
import { Document, Element } from '@xmldom/xmldom';
import { Clock, systemClock } from '../clock';
import type { KeyRing, SigningKey } from '../keys/key-ring';
import { SignatureErrorCode } from '../signature-error-code';
import { SignatureException } from '../signature.exception';
import { excC14n } from '../xml/exc-c14n';
import { childElements, childrenNamed, descendantsNamed, parseXmlStrict, serializeXml } from '../xml/safe-xml';
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

  /** @returns the signed envelope as XML text */
  sign(envelopeXml: string, options: SoapSignOptions = {}): string {
    const key = this.keyRing.resolve(options.kid);
    const doc = parseXmlStrict(envelopeXml, this.options.maxXmlBytes);
    this.signDocument(doc, key);
    return serializeXml(doc);
  }

  private signDocument(doc: Document, key: SigningKey): void {
    const envelope = doc.documentElement!;
    if (envelope.namespaceURI !== Ns.SOAP11 || envelope.localName !== 'Envelope') {
      throw new SignatureException(SignatureErrorCode.XML_MALFORMED, 'not a SOAP 1.1 Envelope');
    }
    const bodies = childrenNamed(envelope, Ns.SOAP11, 'Body');
    if (bodies.length !== 1) throw new SignatureException(SignatureErrorCode.XML_MALFORMED, 'the Envelope must have exactly one Body');
    const body = bodies[0];
    if (descendantsNamed(doc, Ns.DS, 'Signature').length > 0) {
      throw new SignatureException(SignatureErrorCode.DUPLICATE, 'the envelope is already signed');
    }
    const soapPrefix = envelope.prefix ?? 'soapenv';
    let header = childrenNamed(envelope, Ns.SOAP11, 'Header')[0];
    if (!header) {
      header = doc.createElementNS(Ns.SOAP11, `${soapPrefix}:Header`);
      envelope.insertBefore(header, body);
    }
    if (!envelope.lookupNamespaceURI('wsu')) envelope.setAttributeNS(Ns.XMLNS, 'xmlns:wsu', Ns.WSU);

    const now = this.clock.now();
    const security = doc.createElementNS(Ns.WSSE, 'wsse:Security');
    security.setAttributeNS(Ns.XMLNS, 'xmlns:wsse', Ns.WSSE);
    security.setAttributeNS(Ns.XMLNS, 'xmlns:wsu', Ns.WSU);
    security.setAttributeNS(Ns.SOAP11, `${soapPrefix}:mustUnderstand`, '1');
    header.insertBefore(security, header.firstChild);

    const timestamp = el(doc, Ns.WSU, 'wsu:Timestamp');
    timestamp.setAttributeNS(Ns.WSU, 'wsu:Id', newId('TS'));
    timestamp.appendChild(el(doc, Ns.WSU, 'wsu:Created', new Date(now).toISOString()));
    timestamp.appendChild(el(doc, Ns.WSU, 'wsu:Expires', new Date(now + this.ttlMs).toISOString()));
    security.appendChild(timestamp);

    const bstId = newId('X509');
    const bst = el(doc, Ns.WSSE, 'wsse:BinarySecurityToken', key.certificate.raw.toString('base64'));
    bst.setAttribute('EncodingType', WsseToken.BASE64_BINARY);
    bst.setAttribute('ValueType', WsseToken.X509V3);
    bst.setAttributeNS(Ns.WSU, 'wsu:Id', bstId);
    security.appendChild(bst);

    const xroadHeaders = childElements(header).filter(
      (h) => h.namespaceURI === Ns.XROAD && (XROAD_SIGNED_HEADERS as readonly string[]).includes(h.localName ?? ''),
    );
    const targets = [body, timestamp, ...xroadHeaders];

    const method = key.type === 'ec' ? SIGNATURE_METHODS[XmlDsig.ECDSA_SHA256] : SIGNATURE_METHODS[XmlDsig.RSA_SHA256];
    const signature = doc.createElementNS(Ns.DS, 'ds:Signature');
    signature.setAttributeNS(Ns.XMLNS, 'xmlns:ds', Ns.DS);
    signature.setAttribute('Id', newId('SIG'));
    const signedInfo = el(doc, Ns.DS, 'ds:SignedInfo');
    signature.appendChild(signedInfo);
    signedInfo.appendChild(withAlgorithm(el(doc, Ns.DS, 'ds:CanonicalizationMethod'), XmlDsig.EXC_C14N));
    signedInfo.appendChild(withAlgorithm(el(doc, Ns.DS, 'ds:SignatureMethod'), method.uri));
    for (const target of targets) {
      const reference = el(doc, Ns.DS, 'ds:Reference');
      reference.setAttribute('URI', `#${ensureWsuId(target)}`);
      const transforms = el(doc, Ns.DS, 'ds:Transforms');
      transforms.appendChild(withAlgorithm(el(doc, Ns.DS, 'ds:Transform'), XmlDsig.EXC_C14N));
      reference.appendChild(transforms);
      reference.appendChild(withAlgorithm(el(doc, Ns.DS, 'ds:DigestMethod'), XmlDsig.SHA256));
      reference.appendChild(el(doc, Ns.DS, 'ds:DigestValue', digest('sha256', excC14n(target)).toString('base64')));
      signedInfo.appendChild(reference);
    }
    const signatureValue = el(doc, Ns.DS, 'ds:SignatureValue');
    signature.appendChild(signatureValue);
    const keyInfo = el(doc, Ns.DS, 'ds:KeyInfo');
    const str = el(doc, Ns.WSSE, 'wsse:SecurityTokenReference');
    const ref = el(doc, Ns.WSSE, 'wsse:Reference');
    ref.setAttribute('URI', `#${bstId}`);
    ref.setAttribute('ValueType', WsseToken.X509V3);
    str.appendChild(ref);
    keyInfo.appendChild(str);
    signature.appendChild(keyInfo);
    security.appendChild(signature);

    // SignedInfo is canonicalized in place, in its final document context.
    signatureValue.appendChild(doc.createTextNode(xmlSign(method, excC14n(signedInfo), key.privateKey).toString('base64')));
  }
}

function el(doc: Document, ns: string, qname: string, text?: string): Element {
  const e = doc.createElementNS(ns, qname);
  if (text !== undefined) e.appendChild(doc.createTextNode(text));
  return e;
}

function withAlgorithm(e: Element, uri: string): Element {
  e.setAttribute('Algorithm', uri);
  return e;
}

function newId(prefix: string): string {
  return `${prefix}-${randomBytes(12).toString('hex')}`;
}

function ensureWsuId(target: Element): string {
  const existing = target.getAttributeNS(Ns.WSU, 'Id');
  if (existing) return existing;
  const id = newId(target.localName === 'Body' ? 'Body' : (target.localName ?? 'id'));
  target.setAttributeNS(Ns.WSU, 'wsu:Id', id);
  return id;
}
