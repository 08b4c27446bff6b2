import { createHash, X509Certificate } from 'node:crypto';
import { SignatureErrorCode } from '../signature-error-code';
import { SignatureException } from '../signature.exception';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** The DER bodies of all PEM blocks with one of the given labels. */
export function pemBlocks(pem: string, labels: string[]): Buffer[] {
  const out: Buffer[] = [];
  for (const match of pem.matchAll(PEM_BLOCK)) {
    if (labels.includes(match[1])) out.push(Buffer.from(match[2].replace(/\s+/g, ''), 'base64'));
  }
  return out;
}

/** Parses every certificate of a PEM bundle (or one DER certificate). */
export function parseCertificates(input: string | Uint8Array): X509Certificate[] {
  const text = typeof input === 'string' ? input : looksLikePem(input) ? Buffer.from(input).toString('utf8') : undefined;
  const ders = text === undefined ? [Buffer.from(input as Uint8Array)] : pemBlocks(text, ['CERTIFICATE']);
  try {
    return ders.map((der) => new X509Certificate(der));
  } catch (cause) {
    throw new SignatureException(SignatureErrorCode.CERT_INVALID, 'certificate cannot be parsed', undefined, cause);
  }
}

/** DER of a CRL given as PEM (`X509 CRL` or `CRL` label) or DER. */
export function crlDer(input: string | Uint8Array): Buffer {
  const text = typeof input === 'string' ? input : looksLikePem(input) ? Buffer.from(input).toString('utf8') : undefined;
  if (text === undefined) return Buffer.from(input as Uint8Array);
  const [der] = pemBlocks(text, ['X509 CRL', 'CRL']);
  if (!der) throw new SignatureException(SignatureErrorCode.CERT_INVALID, 'no CRL in PEM input');
  return der;
}

function looksLikePem(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 64)).toString('latin1').includes('-----BEGIN');
}

/** Default key id of a certificate: base64url(SHA-256(DER)) — the `x5t#S256` value of RFC 7517. */
export function certificateKid(cert: X509Certificate): string {
  return createHash('sha256').update(cert.raw).digest('base64url');
}

/** Hex serial without leading zeros, lower case — the form CRL entries are compared in. */
export function normalizeSerial(serial: string): string {
  return serial.toLowerCase().replace(/^0+(?=.)/, '');
}

/** Strict base64 (standard alphabet, optional padding, whitespace allowed) to bytes; undefined if invalid. */
export function strictBase64(text: string): Buffer | undefined {
  const compact = text.replace(/[\s]+/g, '');
  if (compact.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) return undefined;
  return Buffer.from(compact, 'base64');
}

/** One DER element (single-byte tags only, which is all X.509 and OCSP use at the levels read here). */
export interface DerElement {
  tag: number;
  /** the whole TLV */
  bytes: Buffer;
  /** the value */
  content: Buffer;
}

/** Reads the DER element at `offset`; throws on truncated or indefinite-length input. */
export function readDer(buf: Buffer, offset = 0): DerElement {
  if (offset + 2 > buf.length) throw new Error('DER: truncated');
  const tag = buf[offset];
  let length = buf[offset + 1];
  let header = 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 4 || offset + 2 + octets > buf.length) throw new Error('DER: bad length');
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + buf[offset + 2 + i];
    header += octets;
  }
  const end = offset + header + length;
  if (end > buf.length) throw new Error('DER: truncated');
  return { tag, bytes: buf.subarray(offset, end), content: buf.subarray(offset + header, end) };
}

/** The elements inside a constructed DER element. */
export function derChildren(element: DerElement): DerElement[] {
  const out: DerElement[] = [];
  for (let offset = 0; offset < element.content.length; ) {
    const child = readDer(element.content, offset);
    out.push(child);
    offset += child.bytes.length;
  }
  return out;
}

/** Exact DER pieces of a certificate that OCSP hashes and compares. */
export interface CertificateParts {
  /** content octets of the serialNumber INTEGER */
  serial: Buffer;
  /** DER of the subject Name */
  subjectName: Buffer;
  /** subjectPublicKey BIT STRING value without the unused-bits octet */
  publicKeyBits: Buffer;
}

export function certificateParts(cert: X509Certificate): CertificateParts {
  const [tbs] = derChildren(readDer(cert.raw));
  const fields = derChildren(tbs);
  const f = fields[0].tag === 0xa0 ? fields.slice(1) : fields; // skip [0] version
  // serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo
  const spki = derChildren(f[5]);
  return { serial: f[0].content, subjectName: f[4].bytes, publicKeyBits: spki[1].content.subarray(1) };
}
