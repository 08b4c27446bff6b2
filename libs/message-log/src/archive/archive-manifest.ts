import { sign, verify, X509Certificate } from 'node:crypto';
import type { SigningKey } from '@korpu/signature';
import { canonicalJson } from '../chain/record-hash';

export const ARCHIVE_FORMAT = 'korpu-message-log-archive/1';

/** What an archive holds, signed by the gateway: enough to check the file and link it to its neighbours. */
export interface ArchiveManifest {
  format: typeof ARCHIVE_FORMAT;
  /** File name of the gzip JSON Lines data file, in the same folder as the manifest. */
  file: string;
  /** sha256 (hex) of the data file's bytes (the gzip stream). */
  fileSha256: string;
  recordCount: number;
  firstSeq: number;
  lastSeq: number;
  /** prev_hash of the first record: the last hash of the previous archive (or 64 zeros for seq 1). */
  firstPrevHash: string;
  /** hash of the last record: the prev_hash of the first record after this archive. */
  lastHash: string;
  firstLoggedAt: string;
  lastLoggedAt: string;
  /** Records logged before this instant were due for archiving. */
  cutBefore: string;
  createdAt: string;
  signer: { kid: string; certificate: string };
}

export type ArchiveSignatureAlgorithm = 'RS256' | 'ES256';

/** The manifest file `<name>.manifest.json`: the manifest and a detached signature over its canonical JSON. */
export interface SignedArchiveManifest {
  manifest: ArchiveManifest;
  signature: { algorithm: ArchiveSignatureAlgorithm; value: string };
}

/** The exact bytes that are signed: canonical JSON (sorted keys) of the manifest. */
export function manifestText(manifest: ArchiveManifest): string {
  return canonicalJson(manifest);
}

/** Signs the manifest with a KeyRing key (RSA PKCS#1 v1.5 or ECDSA P-256 (DER), SHA-256) via node:crypto. */
export function signManifest(manifest: ArchiveManifest, key: SigningKey): SignedArchiveManifest {
  const algorithm: ArchiveSignatureAlgorithm = key.type === 'rsa' ? 'RS256' : 'ES256';
  const value = sign('sha256', Buffer.from(manifestText(manifest), 'utf8'), key.privateKey).toString('base64');
  return { manifest, signature: { algorithm, value } };
}

/** True when `signature` over `text` verifies with the certificate's public key (trust is checked separately). */
export function verifyManifestSignature(
  text: string,
  algorithm: string,
  signature: string,
  certificatePem: string,
): boolean {
  try {
    const publicKey = new X509Certificate(certificatePem).publicKey;
    const expected = algorithm === 'RS256' ? 'rsa' : algorithm === 'ES256' ? 'ec' : undefined;
    if (!expected || publicKey.asymmetricKeyType !== expected) return false;
    return verify('sha256', Buffer.from(text, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
