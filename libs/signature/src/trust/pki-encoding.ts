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
