import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SignatureErrorCode } from '../signature-error-code';
import { SignatureException } from '../signature.exception';
import { parseCertificates } from '../trust/pki-encoding';
import type { SigningKeyMaterial } from './key-ring';
import { unpackPkcs12 } from './pkcs12';

/** A signing key in PEM files: `certFile` may hold the whole chain (leaf first). */
export interface PemKeySource {
  kid?: string;
  certFile: string;
  keyFile: string;
  chainFile?: string;
  passphrase?: string;
}

export interface Pkcs12KeySource {
  kid?: string;
  pkcs12File: string;
  password: string;
}

export type KeySource = PemKeySource | Pkcs12KeySource;

/** Reads key material, certificates and CRLs from the file system (boot-time, synchronous). */
export class KeyMaterialRepository {
  loadSigningKey(source: KeySource): SigningKeyMaterial {
    try {
      if ('pkcs12File' in source) {
        const { privateKey, certificate, chain } = unpackPkcs12(readFileSync(source.pkcs12File), source.password);
        return { kid: source.kid, privateKey, certificate, chain };
      }
      const [certificate, ...rest] = this.readCertificates(source.certFile);
      if (!certificate) throw new SignatureException(SignatureErrorCode.KEY_INVALID, `no certificate in ${source.certFile}`);
      const chain = [...rest, ...(source.chainFile ? this.readCertificates(source.chainFile) : [])].filter(
        (c) => c.fingerprint256 !== certificate.fingerprint256,
      );
      const privateKey = createPrivateKey({ key: readFileSync(source.keyFile), passphrase: source.passphrase });
      return { kid: source.kid, privateKey, certificate, chain };
    } catch (error) {
      if (error instanceof SignatureException) throw error;
      throw new SignatureException(SignatureErrorCode.KEY_INVALID, `signing key cannot be loaded: ${(error as Error).message}`, undefined, error);
    }
  }

  readCertificates(file: string): X509Certificate[] {
    return parseCertificates(readFileSync(file));
  }

  readFile(file: string): Buffer {
    return readFileSync(file);
  }
}
