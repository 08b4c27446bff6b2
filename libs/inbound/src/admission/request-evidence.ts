import { X509Certificate } from 'node:crypto';
import type { SignatureInfo } from '@korpu/envelope';
import { SoapNamespaces } from '@korpu/signature';
import { clientIdOf, parseXmlSafe, readXRoadMessage, serializeXml } from '@korpu/xroad';
import { InboundCallbackHeader } from '../inbound-callback-header';

type XmlDocument = ReturnType<typeof parseXmlSafe>;

/**
 * What the message log keeps of a signature at the door: the signature itself (the ds:Signature element, or the
 * detached JWS) and the signer's certificate as PEM. Best effort: a message too broken to read yields less.
 */
export function xmlSignatureOf(document: XmlDocument): string | undefined {
  const signature = document.getElementsByTagNameNS(SoapNamespaces.DS, 'Signature').item(0);
  return signature ? serializeXml(signature) : undefined;
}

/** The ds:Signature element of a signed SOAP envelope (ours, as sent), or '' when it cannot be read. */
export function xmlSignatureOfText(xml: string): string {
  try {
    return xmlSignatureOf(parseXmlSafe(xml)) ?? '';
  } catch {
    return '';
  }
}

function pemOf(base64Der: string | null | undefined): string | undefined {
  if (!base64Der) return undefined;
  try {
    return new X509Certificate(Buffer.from(base64Der.replace(/\s+/g, ''), 'base64')).toString();
  } catch {
    return undefined;
  }
}

/** What a refused request says about itself (unverified): its id, client, operation and signature. */
export interface RequestEvidence {
  callerMessageId?: string;
  clientId?: string;
  operation?: string;
  signature?: SignatureInfo;
}

export type HttpHeaders = Record<string, string | string[] | undefined>;

/** One HTTP header's value (the first of repeats), trimmed; undefined when absent or empty. */
export function headerValue(headers: HttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
}

/** The request schema version a partner declares in X-Korpu-Schema-Version (SOAP and REST alike), if any. */
export function declaredSchemaVersion(headers: HttpHeaders): string | undefined {
  return headerValue(headers, InboundCallbackHeader.SCHEMA_VERSION);
}

/** Reads the claims of a SOAP request that was refused; `verification` is what became of its signature. */
export function soapRequestEvidence(body: string, verification: SignatureInfo['verification']): RequestEvidence {
  let document: XmlDocument;
  try {
    document = parseXmlSafe(body);
  } catch {
    return verification ? { signature: { format: 'xmldsig', value: '', verification } } : {};
  }
  const evidence: RequestEvidence = {};
  try {
    const { headers } = readXRoadMessage(document);
    evidence.callerMessageId = headers.id;
    evidence.clientId = headers.client ? clientIdOf(headers.client) : undefined;
    evidence.operation = headers.service?.serviceCode;
  } catch {
    // not an X-Road message: the log gets what there is
  }
  const token = document.getElementsByTagNameNS(SoapNamespaces.WSSE, 'BinarySecurityToken').item(0);
  const value = xmlSignatureOf(document);
  if (value !== undefined || verification) {
    evidence.signature = { format: 'xmldsig', value: value ?? '', certificate: pemOf(token?.textContent), ...(verification ? { verification } : {}) };
  }
  return evidence;
}

/** The signer certificate a detached JWS names in its x5c header (unverified), as PEM. */
export function jwsCertificateOf(jws: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(jws.split('.')[0], 'base64url').toString('utf8')) as { x5c?: unknown };
    return Array.isArray(header.x5c) && typeof header.x5c[0] === 'string' ? pemOf(header.x5c[0]) : undefined;
  } catch {
    return undefined;
  }
}
