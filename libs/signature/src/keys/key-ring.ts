import { createPublicKey, KeyObject, X509Certificate } from 'node:crypto';
import { SignatureErrorCode } from '../signature-error-code';
import { SignatureException } from '../signature.exception';
import { certificateKid } from '../trust/pki-encoding';

export type SigningKeyType = 'rsa' | 'ec';

/** What a signing key is made of, however it was loaded (PEM files, PKCS#12, HSM export...). */
export interface SigningKeyMaterial {
  privateKey: KeyObject;
  certificate: X509Certificate;
  /** Issuing CA certificates to send along (leaf excluded), nearest first. */
  chain?: X509Certificate[];
  /** Defaults to the certificate's base64url SHA-256 thumbprint. */
  kid?: string;
}

export interface SigningKey {
  readonly kid: string;
  readonly type: SigningKeyType;
  readonly privateKey: KeyObject;
  readonly certificate: X509Certificate;
  readonly chain: readonly X509Certificate[];
}

/**
 * The local signing keys. Several may be active at once; one is the default for signing.
 * Rotation without downtime: add() the new key, setDefault() to it, and remove() the old one once
 * partners no longer need it — signatures made with the old key keep verifying while its certificate is trusted.
 */
export class KeyRing {
  private readonly keys = new Map<string, SigningKey>();
  private defaultKid?: string;

  constructor(material: SigningKeyMaterial[] = [], defaultKid?: string) {
    for (const m of material) this.add(m);
    if (defaultKid !== undefined) this.setDefault(defaultKid);
  }

  /** Adds a key (the first one added becomes the default). @throws KEY_INVALID */
  add(material: SigningKeyMaterial): SigningKey {
    const type = keyTypeOf(material.privateKey);
    const derived = createPublicKey(material.privateKey).export({ type: 'spki', format: 'der' });
    const fromCert = material.certificate.publicKey.export({ type: 'spki', format: 'der' });
    if (!derived.equals(fromCert)) {
      throw new SignatureException(SignatureErrorCode.KEY_INVALID, 'private key does not match its certificate', {
        subject: material.certificate.subject,
      });
    }
    const key: SigningKey = Object.freeze({
      kid: material.kid ?? certificateKid(material.certificate),
      type,
      privateKey: material.privateKey,
      certificate: material.certificate,
      chain: Object.freeze([...(material.chain ?? [])]),
    });
    this.keys.set(key.kid, key);
    this.defaultKid ??= key.kid;
    return key;
  }

  /** Makes `kid` the key used when a signer is not told which key to use. @throws KEY_NOT_FOUND */
  setDefault(kid: string): void {
    this.get(kid);
    this.defaultKid = kid;
  }

  /** Removes a key; the default key cannot be removed (switch the default first). */
  remove(kid: string): void {
    if (kid === this.defaultKid) {
      throw new SignatureException(SignatureErrorCode.KEY_INVALID, 'cannot remove the default signing key', { kid });
    }
    this.keys.delete(kid);
  }

  /** @throws KEY_NOT_FOUND */
  get(kid: string): SigningKey {
    const key = this.keys.get(kid);
    if (!key) throw new SignatureException(SignatureErrorCode.KEY_NOT_FOUND, 'no signing key with this kid', { kid });
    return key;
  }

  /** The key for `kid`, or the default key. @throws KEY_NOT_FOUND */
  resolve(kid?: string): SigningKey {
    const wanted = kid ?? this.defaultKid;
    if (wanted === undefined) throw new SignatureException(SignatureErrorCode.KEY_NOT_FOUND, 'the key ring is empty');
    return this.get(wanted);
  }

  get defaultKeyId(): string | undefined {
    return this.defaultKid;
  }

  list(): SigningKey[] {
    return [...this.keys.values()];
  }
}

function keyTypeOf(key: KeyObject): SigningKeyType {
  if (key.type !== 'private') throw new SignatureException(SignatureErrorCode.KEY_INVALID, 'a private key is required');
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' && (details.modulusLength ?? 0) >= 2048) return 'rsa';
  if (key.asymmetricKeyType === 'ec' && details.namedCurve === 'prime256v1') return 'ec';
  throw new SignatureException(SignatureErrorCode.KEY_INVALID, 'only RSA (2048 bits or more) and ECDSA P-256 keys are supported', {
    type: key.asymmetricKeyType,
    ...details,
  });
}
