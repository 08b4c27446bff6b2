import { KeyObject, sign as cryptoSign, verify as cryptoVerify, createHash, BinaryLike, KeyLike } from 'node:crypto';
import type { SignatureAlgorithm } from 'xml-crypto';

/** Algorithm identifiers of XML-DSig / WS-Security used by Körpü. */
export const XmlDsig = {
  EXC_C14N: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  EXC_C14N_WITH_COMMENTS: 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
  C14N: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  ENVELOPED: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  RSA_SHA1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  RSA_SHA256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  RSA_SHA384: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
  RSA_SHA512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  ECDSA_SHA256: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
  ECDSA_SHA384: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384',
  HMAC_SHA1: 'http://www.w3.org/2000/09/xmldsig#hmac-sha1',
  SHA1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  SHA256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  SHA384: 'http://www.w3.org/2001/04/xmldsig-more#sha384',
  SHA512: 'http://www.w3.org/2001/04/xmlenc#sha512',
} as const;

export interface XmlSignatureMethod {
  uri: string;
  keyType: 'rsa' | 'ec';
  hash: 'sha256' | 'sha384' | 'sha512';
}

/** Every signature method we know how to compute; what is *accepted* is the verifier's allow-list. */
export const SIGNATURE_METHODS: Record<string, XmlSignatureMethod> = {
  [XmlDsig.RSA_SHA256]: { uri: XmlDsig.RSA_SHA256, keyType: 'rsa', hash: 'sha256' },
  [XmlDsig.RSA_SHA384]: { uri: XmlDsig.RSA_SHA384, keyType: 'rsa', hash: 'sha384' },
  [XmlDsig.RSA_SHA512]: { uri: XmlDsig.RSA_SHA512, keyType: 'rsa', hash: 'sha512' },
  [XmlDsig.ECDSA_SHA256]: { uri: XmlDsig.ECDSA_SHA256, keyType: 'ec', hash: 'sha256' },
  [XmlDsig.ECDSA_SHA384]: { uri: XmlDsig.ECDSA_SHA384, keyType: 'ec', hash: 'sha384' },
};

export const DIGEST_METHODS: Record<string, 'sha256' | 'sha384' | 'sha512'> = {
  [XmlDsig.SHA256]: 'sha256',
  [XmlDsig.SHA384]: 'sha384',
  [XmlDsig.SHA512]: 'sha512',
};

export const DEFAULT_ALLOWED_SIGNATURE_METHODS = [XmlDsig.RSA_SHA256, XmlDsig.RSA_SHA384, XmlDsig.RSA_SHA512, XmlDsig.ECDSA_SHA256, XmlDsig.ECDSA_SHA384];
export const DEFAULT_ALLOWED_DIGEST_METHODS = [XmlDsig.SHA256, XmlDsig.SHA384, XmlDsig.SHA512];
export const DEFAULT_ALLOWED_C14N_METHODS = [XmlDsig.EXC_C14N];
export const DEFAULT_ALLOWED_TRANSFORMS = [XmlDsig.EXC_C14N];

/**
 * XML-DSig signature value. ECDSA values are the raw r||s concatenation (RFC 4050 / XML-DSig 1.1),
 * not DER — hence `dsaEncoding: 'ieee-p1363'`.
 */
export function xmlSign(method: XmlSignatureMethod, data: BinaryLike, key: KeyLike): Buffer {
  const input = typeof data === 'string' ? Buffer.from(data, 'utf8') : (data as Buffer);
  return method.keyType === 'ec'
    ? cryptoSign(method.hash, input, { key: key as KeyObject, dsaEncoding: 'ieee-p1363' })
    : cryptoSign(method.hash, input, key as KeyObject);
}

export function xmlVerify(method: XmlSignatureMethod, data: BinaryLike, key: KeyLike, signature: Buffer): boolean {
  const input = typeof data === 'string' ? Buffer.from(data, 'utf8') : (data as Buffer);
  try {
    return method.keyType === 'ec'
      ? cryptoVerify(method.hash, input, { key: key as KeyObject, dsaEncoding: 'ieee-p1363' }, signature)
      : cryptoVerify(method.hash, input, key as KeyObject, signature);
  } catch {
    return false;
  }
}

export function digest(hash: 'sha256' | 'sha384' | 'sha512', data: string): Buffer {
  return createHash(hash).update(data, 'utf8').digest();
}

/**
 * ECDSA-SHA256 for xml-crypto's SignedXml (xml-crypto ships RSA and HMAC only). Register it with
 * `signedXml.SignatureAlgorithms[XmlDsig.ECDSA_SHA256] = EcdsaSha256XmlCryptoAlgorithm`.
 */
export class EcdsaSha256XmlCryptoAlgorithm implements SignatureAlgorithm {
  private readonly method = SIGNATURE_METHODS[XmlDsig.ECDSA_SHA256];

  getSignature(signedInfo: BinaryLike, privateKey: KeyLike): string;
  getSignature(signedInfo: BinaryLike, privateKey: KeyLike, callback?: (err: Error | null, result?: string) => void): void;
  getSignature(signedInfo: BinaryLike, privateKey: KeyLike, callback?: (err: Error | null, result?: string) => void): string | void {
    const value = xmlSign(this.method, signedInfo, privateKey).toString('base64');
    if (callback) return callback(null, value);
    return value;
  }

  verifySignature(material: string, key: KeyLike, signatureValue: string): boolean;
  verifySignature(material: string, key: KeyLike, signatureValue: string, callback?: (err: Error | null, result?: boolean) => void): void;
  verifySignature(material: string, key: KeyLike, signatureValue: string, callback?: (err: Error | null, result?: boolean) => void): boolean | void {
    const ok = xmlVerify(this.method, material, key, Buffer.from(signatureValue, 'base64'));
    if (callback) return callback(null, ok);
    return ok;
  }

  getAlgorithmName(): string {
    return XmlDsig.ECDSA_SHA256;
  }
}
