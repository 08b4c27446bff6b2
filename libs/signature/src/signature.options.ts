import type { Clock } from './clock';
import type { JwsAlgorithm } from './jws/jws.constants';
import type { KeySource } from './keys/key-material.repository';
import type { XroadHeaderName } from './soap/ws-security.constants';
import type { CrlFetcher } from './trust/crl-fetcher';
import type { RevocationMode } from './trust/trust-store';

/**
 * Configuration of the signature capability, as file paths and numbers. The apps' config layer builds it
 * (this lib never reads process.env); `crlFetcher` and `clock` are injection points for tests and simulators.
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
  clock?: Clock;
}
