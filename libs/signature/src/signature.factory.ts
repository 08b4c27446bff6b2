import { systemClock } from './clock';
import { JwsSigner } from './jws/jws-signer';
import { JwsVerifier } from './jws/jws-verifier';
import { KeyMaterialRepository } from './keys/key-material.repository';
import { KeyRing } from './keys/key-ring';
import type { SignatureModuleOptions } from './signature.options';
import { SoapSigner } from './soap/soap-signer';
import { SoapVerifier } from './soap/soap-verifier';
import { HttpCrlFetcher } from './trust/http-crl-fetcher.adapter';
import { HttpOcspClient } from './trust/http-ocsp-client.adapter';
import { TrustStore } from './trust/trust-store';

/** Everything the capability provides, wired from one options object. */
export interface SignatureServices {
  trustStore: TrustStore;
  keyRing: KeyRing;
  soapSigner: SoapSigner;
  soapVerifier: SoapVerifier;
  jwsSigner: JwsSigner;
  jwsVerifier: JwsVerifier;
}

/**
 * Builds the services without Nest (for simulators, CLIs and benches). Reads the configured files
 * synchronously; CRLs are loaded lazily on first verification.
 */
export function createSignatureServices(
  options: SignatureModuleOptions,
  files: KeyMaterialRepository = new KeyMaterialRepository(),
): SignatureServices {
  const clock = options.clock ?? systemClock;
  const crlFiles = options.trust.crlFiles ?? [];
  const ocsp = options.trust.ocsp ?? {};
  const seconds = (value: number | undefined): number | undefined => (value === undefined ? undefined : value * 1000);
  const trustStore = new TrustStore({
    caCertificates: options.trust.caFiles.flatMap((f) => files.readCertificates(f)),
    loadCrls: crlFiles.length ? () => crlFiles.map((f) => files.readFile(f)) : undefined,
    crlFetcher:
      options.trust.fetchCrls === false
        ? undefined
        : (options.crlFetcher ?? new HttpCrlFetcher({ timeoutMs: options.trust.crlFetchTimeoutMs })),
    revocation: options.trust.revocation,
    crlTtlMs: seconds(options.trust.crlTtlSeconds),
    ocspClient:
      ocsp.enabled === false ? undefined : (options.ocspClient ?? new HttpOcspClient({ timeoutMs: ocsp.timeoutMs })),
    ocsp: {
      preferOcsp: ocsp.preferOcsp,
      maxCacheMs: seconds(ocsp.maxCacheSeconds),
      clockSkewMs: seconds(ocsp.clockSkewSeconds),
      nonce: ocsp.nonce,
      certIdHash: ocsp.certIdHash,
      retryMs: seconds(ocsp.retrySeconds),
    },
    clock,
  });
  const keyRing = new KeyRing((options.keys ?? []).map((k) => files.loadSigningKey(k)), options.defaultKid);
  return {
    trustStore,
    keyRing,
    soapSigner: new SoapSigner(keyRing, { ...options.soap, clock }),
    soapVerifier: new SoapVerifier(trustStore, { ...options.soap, clock }),
    jwsSigner: new JwsSigner(keyRing, { clock }),
    jwsVerifier: new JwsVerifier(trustStore, { ...options.jws, clock }),
  };
}
