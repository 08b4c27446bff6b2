/**
 * OCSP (RFC 6960) messages: building a request and verifying a response, with no I/O.
 * ASN.1 through @peculiar/asn1-ocsp; every hash and signature check through node:crypto.
 */
import 'reflect-metadata'; // @peculiar/x509 (tsyringe) needs the Reflect polyfill
import { createHash, KeyObject, verify as verifySignature, X509Certificate } from 'node:crypto';
import * as ocsp from '@peculiar/asn1-ocsp';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, CRLReasons, Extension } from '@peculiar/asn1-x509';
import * as px509 from '@peculiar/x509';
import { SignatureErrorCode } from '../signature-error-code';
import { certificateParts, derChildren, normalizeSerial, readDer } from './pki-encoding';

export type OcspHash = 'sha1' | 'sha256';

const HASH_OIDS: Record<OcspHash, string> = { sha1: '1.3.14.3.2.26', sha256: '2.16.840.1.101.3.4.2.1' };
const DER_NULL = new Uint8Array([0x05, 0x00]).buffer;

/** Signature algorithms accepted on a response: digest for node:crypto.verify (null: none, Ed25519). */
const SIGNATURE_ALGORITHMS: Record<string, string | null> = {
  '1.2.840.113549.1.1.11': 'sha256', // sha256WithRSAEncryption
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256', // ecdsa-with-SHA256
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.3.101.112': null, // Ed25519
};

/** Codes an OCSP exchange can fail with (TrustStore falls back to a CRL before reporting one). */
export type OcspFailureCode =
  | SignatureErrorCode.OCSP_UNAVAILABLE
  | SignatureErrorCode.OCSP_RESPONSE_INVALID
  | SignatureErrorCode.OCSP_RESPONSE_STALE;

/** Why a responder's answer could not be used. */
export class OcspFailure extends Error {
  constructor(
    readonly code: OcspFailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'OcspFailure';
  }
}

export interface OcspAnswer {
  status: 'good' | 'revoked' | 'unknown';
  thisUpdate: number;
  nextUpdate?: number;
  revokedAt?: number;
  /** CRLReason name (keyCompromise, superseded...) when the responder gave one */
  reason?: string;
  /** subject of the certificate that signed the response */
  signedBy: string;
}

export interface OcspRequestMessage {
  der: Buffer;
  /** the nonce sent (RFC 8954), to be matched in the response */
  nonce?: Buffer;
}

/** Builds an unsigned OCSPRequest for one certificate, with a 32-byte nonce when `nonce` is given. */
export function buildOcspRequest(cert: X509Certificate, issuer: X509Certificate, hash: OcspHash, nonce?: Buffer): OcspRequestMessage {
  const tbsRequest = new ocsp.TBSRequest({ requestList: [new ocsp.Request({ reqCert: certId(cert, issuer, hash) })] });
  if (nonce) {
    tbsRequest.requestExtensions = [
      new Extension({ extnID: ocsp.id_pkix_ocsp_nonce, extnValue: new OctetString(AsnConvert.serialize(new OctetString(nonce))) }),
    ];
  }
  return { der: Buffer.from(AsnConvert.serialize(new ocsp.OCSPRequest({ tbsRequest }))), nonce };
}

export function certId(cert: X509Certificate, issuer: X509Certificate, hash: OcspHash): ocsp.CertID {
  const issuerParts = certificateParts(issuer);
  return new ocsp.CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: HASH_OIDS[hash], parameters: DER_NULL }),
    issuerNameHash: new OctetString(createHash(hash).update(issuerParts.subjectName).digest()),
    issuerKeyHash: new OctetString(createHash(hash).update(issuerParts.publicKeyBits).digest()),
    serialNumber: toArrayBuffer(certificateParts(cert).serial),
  });
}

export interface OcspVerification {
  cert: X509Certificate;
  issuer: X509Certificate;
  /** nonce sent with the request; a response that carries another one is refused */
  nonce?: Buffer;
  now: number;
  clockSkewMs: number;
  /** Oldest acceptable thisUpdate when the response has no nextUpdate. */
  maxAgeMs: number;
}

/**
 * Parses and authenticates a DER OCSPResponse about `cert`: signed (node:crypto) by the issuer or by a responder
 * certificate the issuer issued with id-kp-OCSPSigning, about this CertID (SHA-1 or SHA-256), current, nonce echoed.
 * @throws OcspFailure
 */
export function verifyOcspResponse(der: Uint8Array, v: OcspVerification): OcspAnswer {
  const basic = parseBasicResponse(der);
  const signer = findSigner(basic, v);
  const tbs = Buffer.from(basic.parsed.tbsResponseDataRaw ?? new ArrayBuffer(0));
  const algorithm = basic.parsed.signatureAlgorithm.algorithm;
  if (!(algorithm in SIGNATURE_ALGORITHMS)) invalid(`unsupported response signature algorithm ${algorithm}`);
  if (!checkSignature(SIGNATURE_ALGORITHMS[algorithm], tbs, signer.publicKey, Buffer.from(basic.parsed.signature))) {
    invalid('response signature does not verify');
  }

  const data = basic.parsed.tbsResponseData;
  const single = data.responses.find((r) => matchesCertId(r.certID, v.cert, v.issuer));
  if (!single) invalid('response is not about this certificate');
  checkNonce(data.responseExtensions, v.nonce);

  const thisUpdate = single.thisUpdate.getTime();
  const nextUpdate = single.nextUpdate?.getTime();
  if (thisUpdate > v.now + v.clockSkewMs || data.producedAt.getTime() > v.now + v.clockSkewMs) {
    throw new OcspFailure(SignatureErrorCode.OCSP_RESPONSE_STALE, 'response is dated in the future');
  }
  if (nextUpdate !== undefined && v.now - v.clockSkewMs > nextUpdate) {
    throw new OcspFailure(SignatureErrorCode.OCSP_RESPONSE_STALE, 'response is past its nextUpdate');
  }
  if (nextUpdate === undefined && v.now - thisUpdate > v.maxAgeMs + v.clockSkewMs) {
    throw new OcspFailure(SignatureErrorCode.OCSP_RESPONSE_STALE, 'response without nextUpdate is older than the maximum cache age');
  }

  const base = { thisUpdate, nextUpdate, signedBy: oneLine(signer.subject) };
  const status = single.certStatus;
  if (status.revoked) {
    const reason = status.revoked.revocationReason?.reason;
    return {
      ...base,
      status: 'revoked',
      revokedAt: status.revoked.revocationTime.getTime(),
      reason: reason === undefined ? undefined : (CRLReasons[reason] ?? String(reason)),
    };
  }
  if (status.unknown !== undefined) return { ...base, status: 'unknown' };
  if (status.good !== undefined) return { ...base, status: 'good' };
  return invalid('response has no certificate status');
}

// -----------------------------------------------------------------------------------------------

interface ParsedBasic {
  parsed: ocsp.BasicOCSPResponse;
  /** exact DER of the certificates the responder included */
  certs: Buffer[];
}

function parseBasicResponse(der: Uint8Array): ParsedBasic {
  let response: ocsp.OCSPResponse;
  try {
    response = AsnConvert.parse(Buffer.from(der), ocsp.OCSPResponse);
  } catch (error) {
    return invalid(`response cannot be parsed: ${(error as Error).message}`);
  }
  if (response.responseStatus !== ocsp.OCSPResponseStatus.successful) {
    // tryLater, internalError, unauthorized...: the responder gave no answer
    throw new OcspFailure(
      SignatureErrorCode.OCSP_UNAVAILABLE,
      `responder answered ${ocsp.OCSPResponseStatus[response.responseStatus] ?? response.responseStatus}`,
    );
  }
  if (!response.responseBytes || response.responseBytes.responseType !== ocsp.id_pkix_ocsp_basic) {
    invalid('response is not a basic OCSP response');
  }
  const bytes = Buffer.from(response.responseBytes.response.buffer);
  try {
    const parsed = AsnConvert.parse(bytes, ocsp.BasicOCSPResponse);
    const certsField = derChildren(readDer(bytes)).find((e) => e.tag === 0xa0);
    const certs = certsField ? derChildren(readDer(certsField.content)).map((c) => Buffer.from(c.bytes)) : [];
    return { parsed, certs };
  } catch (error) {
    return invalid(`basic response cannot be parsed: ${(error as Error).message}`);
  }
}

/** The issuer itself, or a delegated responder certificate issued by it for OCSP signing (RFC 6960 4.2.2.2). */
function findSigner(basic: ParsedBasic, v: OcspVerification): X509Certificate {
  const responderId = basic.parsed.tbsResponseData.responderID;
  if (matchesResponderId(v.issuer, responderId)) return v.issuer;
  for (const der of basic.certs) {
    let candidate: X509Certificate;
    try {
      candidate = new X509Certificate(der);
    } catch {
      continue;
    }
    if (!matchesResponderId(candidate, responderId)) continue;
    if (!candidate.checkIssued(v.issuer) || !candidate.verify(v.issuer.publicKey)) {
      invalid(`responder certificate ${oneLine(candidate.subject)} is not issued by ${oneLine(v.issuer.subject)}`);
    }
    const peculiar = new px509.X509Certificate(candidate.raw);
    const eku = peculiar.getExtension(px509.ExtendedKeyUsageExtension);
    if (!eku?.usages.includes(ocsp.id_kp_OCSPSigning)) {
      invalid(`responder certificate ${oneLine(candidate.subject)} lacks id-kp-OCSPSigning`);
    }
    const keyUsage = peculiar.getExtension(px509.KeyUsagesExtension)?.usages;
    if (keyUsage !== undefined && (keyUsage & px509.KeyUsageFlags.digitalSignature) === 0) {
      invalid(`responder certificate ${oneLine(candidate.subject)} may not sign`);
    }
    const from = Date.parse(candidate.validFrom);
    const to = Date.parse(candidate.validTo);
    if (!(v.now + v.clockSkewMs >= from && v.now - v.clockSkewMs <= to)) {
      invalid(`responder certificate ${oneLine(candidate.subject)} is outside its validity period`);
    }
    return candidate;
  }
  return invalid('response is signed by neither the issuer nor a responder it authorized');
}

function matchesResponderId(cert: X509Certificate, id: ocsp.ResponderID): boolean {
  const parts = certificateParts(cert);
  if (id.byKey) return Buffer.from(id.byKey.buffer).equals(createHash('sha1').update(parts.publicKeyBits).digest());
  if (id.byName) return Buffer.from(AsnConvert.serialize(id.byName)).equals(parts.subjectName);
  return false;
}

function matchesCertId(id: ocsp.CertID, cert: X509Certificate, issuer: X509Certificate): boolean {
  const hash = (Object.keys(HASH_OIDS) as OcspHash[]).find((h) => HASH_OIDS[h] === id.hashAlgorithm.algorithm);
  if (!hash) return false;
  const serial = Buffer.from(id.serialNumber).toString('hex');
  if (normalizeSerial(serial) !== normalizeSerial(cert.serialNumber)) return false;
  const expected = certId(cert, issuer, hash);
  return (
    Buffer.from(id.issuerNameHash.buffer).equals(Buffer.from(expected.issuerNameHash.buffer)) &&
    Buffer.from(id.issuerKeyHash.buffer).equals(Buffer.from(expected.issuerKeyHash.buffer))
  );
}

/** A response that carries a nonce must carry ours; one without a nonce is accepted (pre-produced responses). */
function checkNonce(extensions: Extension[] | undefined, sent: Buffer | undefined): void {
  const echoed = extensions?.find((e) => e.extnID === ocsp.id_pkix_ocsp_nonce);
  if (!echoed || !sent) return;
  const value = Buffer.from(echoed.extnValue.buffer);
  // RFC 8954: extnValue holds the DER of Nonce ::= OCTET STRING; some responders echo the bare octets
  const wrapped = Buffer.from(AsnConvert.serialize(new OctetString(sent)));
  if (!value.equals(wrapped) && !value.equals(sent)) invalid('response nonce does not match the request');
}

function checkSignature(digest: string | null, data: Buffer, key: KeyObject, signature: Buffer): boolean {
  try {
    return verifySignature(digest, data, key, signature);
  } catch {
    return false;
  }
}

function invalid(message: string): never {
  throw new OcspFailure(SignatureErrorCode.OCSP_RESPONSE_INVALID, message);
}

/** node:crypto writes distinguished names one attribute per line. */
function oneLine(name: string): string {
  return name.replace(/\n/g, ', ');
}

function toArrayBuffer(buf: Buffer): ArrayBuffer {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}
