import type { Clock } from './clock';
import type { JwsAlgorithm } from './jws/jws.constants';
import type { KeySource } from './keys/key-material.repository';
import type { XroadHeaderName } from './soap/ws-security.constants';
import type { CrlFetcher } from './trust/crl-fetcher';
import type { OcspClient } from './trust/ocsp-client';
import type { OcspHash } from './trust/ocsp-protocol';
import type { RevocationMode } from './trust/trust-store';

/**
 * Configuration of the signature capability, as file paths and numbers. The apps' config layer builds it
 * (this lib never reads process.env); `crlFetcher`, `ocspClient` and `clock` are injection points for tests and simulators.
 */
export interface SignatureModuleOptions {
  trust: {
    /** PEM files of CA certificates: self-signed ones become trust anchors, others intermediates. */
    caFiles: string[];
    /** CRL files (PEM or DER), re-read every `crlTtlSeconds` and on refreshCrls(). */
    crlFiles?: string[];
    /** Fetch CRLs from the certificates' distribution points. Default true. */
    fetchCrls?: boolean;
    /** `require` (default, fail closed) or `best-effort`. */
    revocation?: RevocationMode;
    /** Default 600. */
    crlTtlSeconds?: number;
    /** Timeout of one CRL download. Default 5000. */
    crlFetchTimeoutMs?: number;
    /**
     * OCSP for certificates whose Authority Information Access names a responder. A responder that gives no usable
     * answer (unreachable, invalid or stale response) is replaced by the issuer's CRL when there is one; with neither,
     * `require` mode refuses with the OCSP failure's code. `revoked` → CERT_REVOKED, `unknown` → OCSP_UNKNOWN.
     */
    ocsp?: {
      /** Default true. */
      enabled?: boolean;
      /** Timeout of one OCSP exchange. Default 5000. */
      timeoutMs?: number;
      /** Longest reuse of a good/revoked answer (never past its nextUpdate). Default 3600. */
      maxCacheSeconds?: number;
      /** Ask OCSP before CRLs (default true); false: CRLs first, OCSP only when no CRL is available. */
      preferOcsp?: boolean;
      /** Tolerance on thisUpdate/nextUpdate. Default 300. */
      clockSkewSeconds?: number;
      /** Send a nonce and check it when echoed. Default true. */
      nonce?: boolean;
      /** CertID hash of requests. Default sha1. */
      certIdHash?: OcspHash;
      /** How long an unreachable responder is skipped. Default 30. */
      retrySeconds?: number;
    };
  };
  /** Local signing keys (PEM files or PKCS#12). May be empty for a verify-only process. */
  keys?: KeySource[];
  /** kid of the default signing key; the first key otherwise. */
  defaultKid?: string;
  soap?: {
    timestampTtlSeconds?: number;
    clockSkewSeconds?: number;
    maxMessageAgeSeconds?: number;
    requiredXroadHeaders?: XroadHeaderName[];
    allowedSignatureMethods?: string[];
    allowedDigestMethods?: string[];
    maxXmlBytes?: number;
  };
  jws?: {
    allowedAlgorithms?: JwsAlgorithm[];
    maxAgeSeconds?: number;
    clockSkewSeconds?: number;
  };
  /** Replaces the HTTP CRL fetcher (e.g. a stub in tests, a proxy-aware client). */
  crlFetcher?: CrlFetcher;
  /** Replaces the HTTP OCSP client (e.g. a stub in tests). */
  ocspClient?: OcspClient;
  clock?: Clock;
}
