import * as path from 'node:path';
import { EnvReader } from '@korpu/config';
import type { KeySource } from './keys/key-material.repository';
import type { SignatureModuleOptions } from './signature.options';

/**
 * Builds SignatureModuleOptions from an app's environment. Defaults point into the development PKI
 * (`certs-dev/out`), so `npm start` needs no settings; production sets the variables.
 *
 * SIGNING_KEY_P12 (+ SIGNING_KEY_P12_PASSWORD) or SIGNING_CERT_FILE + SIGNING_KEY_FILE: the signing key.
 * TRUST_CA_FILES, TRUST_CRL_FILES: comma-separated PEM files. TRUST_FETCH_CRLS: also fetch from distribution
 * points. TRUST_REVOCATION: require (fail closed, default) or best-effort. TRUST_OCSP (default true),
 * TRUST_OCSP_TIMEOUT_MS, TRUST_OCSP_MAX_CACHE_SECONDS: OCSP for certificates that name a responder.
 */
export function readSignatureOptions(read: EnvReader, defaults: { pkiDir: string; keyName: string }): SignatureModuleOptions {
  const pkiDir = read.string('PKI_DIR', defaults.pkiDir);
  const p12 = read.string('SIGNING_KEY_P12');
  const key: KeySource = p12
    ? { pkcs12File: p12, password: read.required('SIGNING_KEY_P12_PASSWORD'), kid: read.string('SIGNING_KEY_ID') }
    : {
        certFile: read.string('SIGNING_CERT_FILE', path.join(pkiDir, 'leaf', `${defaults.keyName}.chain.crt`)),
        keyFile: read.string('SIGNING_KEY_FILE', path.join(pkiDir, 'leaf', `${defaults.keyName}.key`)),
        kid: read.string('SIGNING_KEY_ID'),
      };
  return {
    trust: {
      caFiles: read.list('TRUST_CA_FILES', [path.join(pkiDir, 'ca', 'trust-bundle.crt')]),
      crlFiles: read.list('TRUST_CRL_FILES', [path.join(pkiDir, 'crl', 'root-ca.crl'), path.join(pkiDir, 'crl', 'intermediate-ca.crl')]),
      fetchCrls: read.bool('TRUST_FETCH_CRLS', false),
      revocation: read.oneOf('TRUST_REVOCATION', ['require', 'best-effort'] as const, 'require'),
      crlTtlSeconds: read.int('TRUST_CRL_TTL_SECONDS', 600, { min: 1, max: 86400 }),
      ocsp: {
        enabled: read.bool('TRUST_OCSP', true),
        timeoutMs: read.int('TRUST_OCSP_TIMEOUT_MS', 5000, { min: 100, max: 60000 }),
        maxCacheSeconds: read.int('TRUST_OCSP_MAX_CACHE_SECONDS', 3600, { min: 0, max: 86400 }),
      },
    },
    keys: [key],
  };
}
