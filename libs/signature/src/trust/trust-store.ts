import 'reflect-metadata'; // @peculiar/x509 (tsyringe) needs the Reflect polyfill
import { webcrypto, X509Certificate } from 'node:crypto';
import * as px509 from '@peculiar/x509';
import { Clock, systemClock } from '../clock';
import { SignatureErrorCode } from '../signature-error-code';
import { SignatureException } from '../signature.exception';
import type { CrlFetcher } from './crl-fetcher';
import { OcspChecker, OcspOutcome } from './ocsp-checker';
import type { OcspClient } from './ocsp-client';
import type { OcspFailureCode, OcspHash } from './ocsp-protocol';
import { certificateKid, crlDer, normalizeSerial } from './pki-encoding';

px509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof px509.cryptoProvider.set>[0]);

type OcspFailureOutcome = Extract<OcspOutcome, { kind: 'failure' }>;

/**
 * `require` (default): a certificate whose revocation status neither OCSP nor a CRL can establish is refused
 * (fail closed): with the OCSP failure's code (OCSP_UNAVAILABLE / OCSP_RESPONSE_INVALID / OCSP_RESPONSE_STALE) when
 * the certificate names an OCSP responder, with CRL_UNAVAILABLE otherwise.
 * `best-effort`: such a certificate passes, flagged (`revocationChecked: false`); a revoked or unknown answer
 * still refuses it.
 */
export type RevocationMode = 'require' | 'best-effort';

export interface TrustStoreOcspOptions {
  /** Ask OCSP first and use CRLs only when it gives no answer (default true); false: CRLs first, OCSP when none. */
  preferOcsp?: boolean;
  /** Longest reuse of a good/revoked answer, never past its nextUpdate. Default 3600 s. */
  maxCacheMs?: number;
  /** Tolerance on thisUpdate/nextUpdate and the responder certificate's validity. Default 300 s. */
  clockSkewMs?: number;
  /** Send a nonce (RFC 8954) and check it when echoed. Default true. */
  nonce?: boolean;
  /** CertID hash in requests. Default sha1 (what every responder supports); responses in SHA-1 or SHA-256 are matched. */
  certIdHash?: OcspHash;
  /** After a responder could not be reached, how long it is skipped. Default 30 s. */
  retryMs?: number;
}

/** How the revocation status of one certificate of the path was established. */
export interface RevocationEvidence {
  subject: string;
  /** `none`: no OCSP or CRL answer, accepted in best-effort mode only */
  source: 'ocsp' | 'crl' | 'none';
  /** the OCSP answer came from the cache */
  cached?: boolean;
  /** why OCSP gave no answer, when it was asked and the CRL (or nothing) decided */
  ocspFailure?: OcspFailureCode;
}

export interface TrustStoreOptions {
  /** CA certificates. Self-signed ones are trust anchors; the others are intermediates used to build paths. */
  caCertificates: X509Certificate[];
  /** Loads the configured CRL files (DER or PEM); called on first use, every `crlTtlMs`, and by refreshCrls(). */
  loadCrls?: () => Promise<Uint8Array[]> | Uint8Array[];
  /** When given, CRLs are also fetched from the certificates' CRL distribution points. */
  crlFetcher?: CrlFetcher;
  revocation?: RevocationMode;
  /** How long a loaded/fetched CRL is used before it is loaded again (it is never used past its nextUpdate). */
  crlTtlMs?: number;
  /** After a failed fetch, how long to wait before trying that URL again. */
  crlRetryMs?: number;
  /**
   * When given, certificates whose Authority Information Access names an OCSP responder (id-ad-ocsp) are checked
   * with OCSP, falling back to CRLs when the responder gives no usable answer.
   */
  ocspClient?: OcspClient;
  ocsp?: TrustStoreOcspOptions;
  clock?: Clock;
  /** Longest accepted path, leaf and anchor included. */
  maxPathLength?: number;
}

/** What `TrustStore.material()` reports. */
export interface TrustMaterial {
  /** Trust anchors and intermediates of the CA pool. */
  certificates: X509Certificate[];
  /** `source`: `file` (configured) or the distribution point URL. Times in ms since epoch. */
  crls: Array<{ issuer: string; source: string; thisUpdate: number; nextUpdate?: number }>;
  crlFilesConfigured: boolean;
  crlFilesLoaded: boolean;
}

/** A certificate that chains to a trust anchor, is in its validity period, may sign, and is not revoked. */
export interface ValidatedCertificate {
  certificate: X509Certificate;
  /** leaf first, trust anchor last */
  path: X509Certificate[];
  /** base64url SHA-256 thumbprint of the leaf */
  thumbprint: string;
  subject: string;
  serialNumber: string;
  /** false only in `best-effort` mode when neither OCSP nor a CRL answered for some certificate of the path */
  revocationChecked: boolean;
  /** per certificate of the path below the anchor, leaf first */
  revocation: RevocationEvidence[];
}

interface CertInfo {
  keyUsage?: number;
  crlUrls: string[];
  ocspUrls: string[];
  peculiar: px509.X509Certificate;
}

interface ParsedCrl {
  issuerFingerprint: string;
  thisUpdate: number;
  nextUpdate?: number;
  /** normalized serial → CRL reason name, if any */
  revoked: Map<string, string | undefined>;
}

interface FetchedCrl {
  issuer: X509Certificate;
  crl?: ParsedCrl;
  attemptedAt: number;
  loadedAt: number;
}

const DIGITAL_SIGNATURE = px509.KeyUsageFlags.digitalSignature;
const KEY_CERT_SIGN = px509.KeyUsageFlags.keyCertSign;
const CERT_INFO_CACHE_LIMIT = 2_000;

/**
 * Decides whether a signing certificate is trusted: path building to a configured anchor (node:crypto
 * checkIssued/verify), validity periods, key usage, and revocation from CRLs (configured files and/or
 * fetched from distribution points through the CrlFetcher port) and OCSP (through the OcspClient port, with a
 * cache) for certificates that name a responder; fail closed unless configured `best-effort`.
 */
export class TrustStore {
  private readonly anchors: X509Certificate[];
  private readonly intermediates: X509Certificate[];
  private readonly anchorFingerprints: Set<string>;
  private readonly revocation: RevocationMode;
  private readonly crlTtlMs: number;
  private readonly crlRetryMs: number;
  private readonly clock: Clock;
  private readonly maxPathLength: number;
  private readonly certInfo = new Map<string, CertInfo>();
  private readonly paths = new Map<string, X509Certificate[]>();
  private staticCrls = new Map<string, ParsedCrl[]>();
  /** Configured CRLs of issuers not in the CA pool (e.g. an intermediate only senders supply). */
  private staticUnmatched: Uint8Array[] = [];
  private staticLoadedAt = Number.NEGATIVE_INFINITY;
  private staticLoading?: Promise<void>;
  private readonly fetched = new Map<string, FetchedCrl>();
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly crlWarnings: string[] = [];
  private readonly ocsp?: OcspChecker;
  private readonly preferOcsp: boolean;

  constructor(private readonly options: TrustStoreOptions) {
    this.anchors = options.caCertificates.filter(isSelfSigned);
    this.intermediates = options.caCertificates.filter((c) => !isSelfSigned(c));
    if (this.anchors.length === 0) {
      throw new SignatureException(SignatureErrorCode.CERT_INVALID, 'trust store needs at least one self-signed CA certificate');
    }
    this.anchorFingerprints = new Set(this.anchors.map((c) => c.fingerprint256));
    this.revocation = options.revocation ?? 'require';
    this.crlTtlMs = options.crlTtlMs ?? 10 * 60_000;
    this.crlRetryMs = options.crlRetryMs ?? 30_000;
    this.clock = options.clock ?? systemClock;
    this.maxPathLength = options.maxPathLength ?? 6;
    const ocsp = options.ocsp ?? {};
    this.preferOcsp = ocsp.preferOcsp ?? true;
    if (options.ocspClient) {
      this.ocsp = new OcspChecker(
        {
          client: options.ocspClient,
          maxCacheMs: ocsp.maxCacheMs ?? 3600_000,
          clockSkewMs: ocsp.clockSkewMs ?? 300_000,
          nonce: ocsp.nonce ?? true,
          certIdHash: ocsp.certIdHash ?? 'sha1',
          retryMs: ocsp.retryMs ?? 30_000,
        },
        (message) => this.warn(message),
      );
    }
  }

  /** Trust anchors (self-signed CA certificates). */
  get trustAnchors(): readonly X509Certificate[] {
    return this.anchors;
  }

  /** Problems met while loading CRLs or asking OCSP responders (unreachable, bad signature...) — for health endpoints. */
  get warnings(): readonly string[] {
    return this.crlWarnings;
  }

  /**
   * Validates `leaf` (with any intermediates the sender supplied) at the current time.
   * @throws SignatureException CERT_UNTRUSTED | CERT_EXPIRED | CERT_NOT_YET_VALID | CERT_KEY_USAGE | CERT_INVALID |
   *   CERT_REVOKED | CRL_UNAVAILABLE | OCSP_UNKNOWN | OCSP_UNAVAILABLE | OCSP_RESPONSE_INVALID | OCSP_RESPONSE_STALE
   */
  async validate(leaf: X509Certificate, supplied: X509Certificate[] = []): Promise<ValidatedCertificate> {
    const now = this.clock.now();
    const path = this.buildPath(leaf, supplied);
    path.forEach((cert, i) => this.checkValidity(cert, now, i === 0));
    this.checkUsage(path);
    const revocation: RevocationEvidence[] = [];
    for (let i = 0; i < path.length - 1; i++) revocation.push(await this.checkRevocation(path[i], path[i + 1], now));
    return {
      certificate: leaf,
      path,
      thumbprint: certificateKid(leaf),
      subject: leaf.subject,
      serialNumber: leaf.serialNumber,
      revocationChecked: revocation.every((r) => r.source !== 'none'),
      revocation,
    };
  }

  /**
   * The trust material as it is now, for metrics and readiness: the CA certificates, and every CRL held (configured
   * files, loaded now if not yet, and those fetched from distribution points) with its issuer and nextUpdate.
   */
  async material(): Promise<TrustMaterial> {
    await this.ensureStaticCrls(this.clock.now());
    const cas = [...this.anchors, ...this.intermediates];
    const issuerName = (fingerprint: string) => cas.find((ca) => ca.fingerprint256 === fingerprint)?.subject ?? fingerprint;
    const held: Array<{ crl: ParsedCrl; source: string }> = [...this.staticCrls.values()].flat().map((crl) => ({ crl, source: 'file' }));
    for (const [url, entry] of this.fetched) if (entry.crl) held.push({ crl: entry.crl, source: url });
    return {
      certificates: cas,
      crls: held.map(({ crl, source }) => ({ issuer: issuerName(crl.issuerFingerprint), source, thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate })),
      crlFilesConfigured: Boolean(this.options.loadCrls),
      crlFilesLoaded: this.staticLoadedAt > Number.NEGATIVE_INFINITY,
    };
  }

  /** Reloads configured CRLs and re-fetches every distribution point seen so far, now. */
  async refreshCrls(): Promise<void> {
    this.staticLoadedAt = Number.NEGATIVE_INFINITY;
    await this.ensureStaticCrls(this.clock.now());
    const now = this.clock.now();
    await Promise.all(
      [...this.fetched.entries()].map(([url, entry]) => this.fetchCrl(url, entry.issuer, now)),
    );
  }

  // ---------------------------------------------------------------------------------------------
  /** Paths depend only on the (immutable) CA pool and the certificates given, so they are memoized. */
  private buildPath(leaf: X509Certificate, supplied: X509Certificate[]): X509Certificate[] {
    const key = [leaf, ...supplied].map((c) => c.fingerprint256).join('|');
    const cached = this.paths.get(key);
    if (cached) return cached;
    const path = this.findPath(leaf, supplied);
    if (this.paths.size >= CERT_INFO_CACHE_LIMIT) this.paths.clear();
    this.paths.set(key, path);
    return path;
  }

  private findPath(leaf: X509Certificate, supplied: X509Certificate[]): X509Certificate[] {
    const pool = [...this.anchors, ...this.intermediates, ...supplied];
    const path = [leaf];
    let current = leaf;
    while (path.length <= this.maxPathLength) {
      if (this.anchorFingerprints.has(current.fingerprint256)) return path;
      const issuer = pool.find(
        (candidate) =>
          candidate.fingerprint256 !== current.fingerprint256 &&
          !path.some((p) => p.fingerprint256 === candidate.fingerprint256) &&
          current.checkIssued(candidate) &&
          current.verify(candidate.publicKey),
      );
      if (!issuer) break;
      path.push(issuer);
      current = issuer;
    }
    throw new SignatureException(SignatureErrorCode.CERT_UNTRUSTED, 'certificate does not chain to a trusted CA', {
      subject: leaf.subject,
      issuer: leaf.issuer,
    });
  }

  private checkValidity(cert: X509Certificate, now: number, isLeaf: boolean): void {
    const from = Date.parse(cert.validFrom);
    const to = Date.parse(cert.validTo);
    const details = { subject: cert.subject, validFrom: cert.validFrom, validTo: cert.validTo, leaf: isLeaf };
    if (!(now >= from)) throw new SignatureException(SignatureErrorCode.CERT_NOT_YET_VALID, 'certificate is not yet valid', details);
    if (!(now <= to)) throw new SignatureException(SignatureErrorCode.CERT_EXPIRED, 'certificate has expired', details);
  }

  private checkUsage(path: X509Certificate[]): void {
    const leafInfo = this.info(path[0]);
    if (leafInfo.keyUsage === undefined || (leafInfo.keyUsage & DIGITAL_SIGNATURE) === 0) {
      throw new SignatureException(SignatureErrorCode.CERT_KEY_USAGE, 'certificate may not be used for digital signatures', {
        subject: path[0].subject,
      });
    }
    for (const ca of path.slice(1)) {
      if (!ca.ca) throw new SignatureException(SignatureErrorCode.CERT_INVALID, 'issuer is not a CA', { subject: ca.subject });
      const usage = this.info(ca).keyUsage;
      if (usage !== undefined && (usage & KEY_CERT_SIGN) === 0) {
        throw new SignatureException(SignatureErrorCode.CERT_KEY_USAGE, 'issuer may not sign certificates', { subject: ca.subject });
      }
    }
  }

  /**
   * OCSP (when the certificate names a responder and a client is configured) and CRLs, in the configured order;
   * the second source is consulted only when the first gives no answer.
   */
  private async checkRevocation(cert: X509Certificate, issuer: X509Certificate, now: number): Promise<RevocationEvidence> {
    const subject = cert.subject;
    const ocspUrls = this.ocsp ? this.info(cert).ocspUrls : [];
    let failure: OcspFailureOutcome | undefined;
    if (ocspUrls.length > 0 && this.preferOcsp) {
      const outcome = await this.askOcsp(cert, issuer, ocspUrls, now);
      if (outcome.kind === 'answer') return { subject, source: 'ocsp', cached: outcome.cached };
      failure = outcome;
    }
    const crls = await this.crlsFor(cert, issuer, now);
    if (crls.length > 0) {
      const serial = normalizeSerial(cert.serialNumber);
      const listing = crls.find((crl) => crl.revoked.has(serial));
      if (listing) {
        throw new SignatureException(SignatureErrorCode.CERT_REVOKED, 'certificate has been revoked', {
          subject,
          serialNumber: cert.serialNumber,
          source: 'crl',
          reason: listing.revoked.get(serial),
        });
      }
      return { subject, source: 'crl', ocspFailure: failure?.code };
    }
    if (ocspUrls.length > 0 && !this.preferOcsp) {
      const outcome = await this.askOcsp(cert, issuer, ocspUrls, now);
      if (outcome.kind === 'answer') return { subject, source: 'ocsp', cached: outcome.cached };
      failure = outcome;
    }
    if (this.revocation === 'best-effort') return { subject, source: 'none', ocspFailure: failure?.code };
    if (failure) {
      throw new SignatureException(failure.code, `revocation status unknown: OCSP failed (${failure.message}) and no current CRL`, {
        subject,
        issuer: issuer.subject,
      });
    }
    throw new SignatureException(SignatureErrorCode.CRL_UNAVAILABLE, 'no current CRL for the issuer', {
      subject,
      issuer: issuer.subject,
    });
  }

  /** An OCSP answer, or the failure; throws on revoked and unknown answers (no fallback: the responder knows). */
  private async askOcsp(cert: X509Certificate, issuer: X509Certificate, urls: string[], now: number): Promise<OcspOutcome> {
    const outcome = await this.ocsp!.check(cert, issuer, urls, now);
    if (outcome.kind === 'failure') return outcome;
    const { answer } = outcome;
    switch (answer.status) {
      case 'good':
        return outcome;
      case 'revoked':
        throw new SignatureException(SignatureErrorCode.CERT_REVOKED, 'certificate has been revoked', {
          subject: cert.subject,
          serialNumber: cert.serialNumber,
          source: 'ocsp',
          reason: answer.reason,
          revokedAt: answer.revokedAt === undefined ? undefined : new Date(answer.revokedAt).toISOString(),
        });
      case 'unknown':
        throw new SignatureException(SignatureErrorCode.OCSP_UNKNOWN, 'the OCSP responder does not know the certificate', {
          subject: cert.subject,
          serialNumber: cert.serialNumber,
          responder: outcome.url,
        });
    }
  }

  private async crlsFor(cert: X509Certificate, issuer: X509Certificate, now: number): Promise<ParsedCrl[]> {
    const crls: ParsedCrl[] = [];
    if (this.options.crlFetcher) {
      for (const url of this.info(cert).crlUrls) {
        const crl = await this.crlFromDistributionPoint(url, issuer, now);
        if (crl) crls.push(crl);
      }
    }
    if (this.options.loadCrls) {
      await this.ensureStaticCrls(now);
      if (!this.staticCrls.has(issuer.fingerprint256)) await this.matchUnmatchedCrls(issuer);
      for (const crl of this.staticCrls.get(issuer.fingerprint256) ?? []) if (usable(crl, now)) crls.push(crl);
    }
    return crls;
  }

  private async crlFromDistributionPoint(url: string, issuer: X509Certificate, now: number): Promise<ParsedCrl | undefined> {
    let entry = this.fetched.get(url);
    const fresh = entry?.crl && usable(entry.crl, now) && now - entry.loadedAt < this.crlTtlMs;
    const mayRetry = !entry || now - entry.attemptedAt >= this.crlRetryMs;
    if (!fresh && mayRetry) {
      await this.fetchCrl(url, issuer, now);
      entry = this.fetched.get(url);
    }
    const crl = entry?.crl;
    return crl && crl.issuerFingerprint === issuer.fingerprint256 && usable(crl, now) ? crl : undefined;
  }

  /** Single-flight fetch; keeps the previous CRL when the new one cannot be obtained or verified. */
  private fetchCrl(url: string, issuer: X509Certificate, now: number): Promise<void> {
    const running = this.inflight.get(url);
    if (running) return running;
    const fetcher = this.options.crlFetcher;
    if (!fetcher) return Promise.resolve();
    const task = (async () => {
      const previous = this.fetched.get(url);
      try {
        const crl = await this.parseCrl(await fetcher.fetch(url), [issuer]);
        this.fetched.set(url, { issuer, crl, attemptedAt: now, loadedAt: now });
      } catch (error) {
        this.warn(`CRL ${url}: ${(error as Error).message}`);
        this.fetched.set(url, { issuer, crl: previous?.crl, attemptedAt: now, loadedAt: previous?.loadedAt ?? now });
      }
    })().finally(() => this.inflight.delete(url));
    this.inflight.set(url, task);
    return task;
  }

  private async ensureStaticCrls(now: number): Promise<void> {
    if (!this.options.loadCrls || now - this.staticLoadedAt < this.crlTtlMs) return;
    if (!this.staticLoading) {
      const loader = this.options.loadCrls;
      this.staticLoading = (async () => {
        const next = new Map<string, ParsedCrl[]>();
        const unmatched: Uint8Array[] = [];
        let sources: Uint8Array[] = [];
        try {
          sources = await loader();
        } catch (error) {
          this.warn(`CRL files: ${(error as Error).message}`);
          return; // keep what we had; retried after the TTL
        }
        for (const source of sources) {
          try {
            const crl = await this.parseCrl(source, [...this.anchors, ...this.intermediates]);
            next.set(crl.issuerFingerprint, [...(next.get(crl.issuerFingerprint) ?? []), crl]);
          } catch (error) {
            unmatched.push(source);
            this.warn(`CRL file: ${(error as Error).message}`);
          }
        }
        this.staticCrls = next;
        this.staticUnmatched = unmatched;
        this.staticLoadedAt = now;
      })().finally(() => (this.staticLoading = undefined));
    }
    await this.staticLoading;
  }

  private async matchUnmatchedCrls(issuer: X509Certificate): Promise<void> {
    for (const source of [...this.staticUnmatched]) {
      try {
        const crl = await this.parseCrl(source, [issuer]);
        this.staticCrls.set(issuer.fingerprint256, [...(this.staticCrls.get(issuer.fingerprint256) ?? []), crl]);
        this.staticUnmatched = this.staticUnmatched.filter((s) => s !== source);
      } catch {
        // not this issuer's
      }
    }
  }

  /** Parses a CRL and authenticates it against the first candidate issuer whose name and key match. */
  private async parseCrl(bytes: Uint8Array, candidates: X509Certificate[]): Promise<ParsedCrl> {
    const crl = new px509.X509Crl(crlDer(bytes));
    for (const issuer of candidates) {
      const peculiar = this.info(issuer).peculiar;
      if (crl.issuer !== peculiar.subject) continue;
      if (!(await crl.verify({ publicKey: peculiar }))) continue;
      return {
        issuerFingerprint: issuer.fingerprint256,
        thisUpdate: crl.thisUpdate.getTime(),
        nextUpdate: crl.nextUpdate?.getTime(),
        revoked: new Map(crl.entries.map((e) => [normalizeSerial(e.serialNumber), e.reason === undefined ? undefined : px509.X509CrlReason[e.reason]])),
      };
    }
    throw new Error(`CRL of ${crl.issuer} is not signed by a known CA`);
  }

  private info(cert: X509Certificate): CertInfo {
    let info = this.certInfo.get(cert.fingerprint256);
    if (!info) {
      const peculiar = new px509.X509Certificate(cert.raw);
      const keyUsage = peculiar.getExtension(px509.KeyUsagesExtension)?.usages;
      const cdp = peculiar.getExtension(px509.CRLDistributionPointsExtension);
      const crlUrls: string[] = [];
      for (const point of cdp?.distributionPoints ?? []) {
        for (const name of point.distributionPoint?.fullName ?? []) {
          if (name.uniformResourceIdentifier) crlUrls.push(name.uniformResourceIdentifier);
        }
      }
      const ocspUrls = (peculiar.getExtension(px509.AuthorityInfoAccessExtension)?.ocsp ?? [])
        .filter((name) => name.type === 'url')
        .map((name) => name.value);
      info = { keyUsage, crlUrls, ocspUrls, peculiar };
      if (this.certInfo.size >= CERT_INFO_CACHE_LIMIT) this.certInfo.clear();
      this.certInfo.set(cert.fingerprint256, info);
    }
    return info;
  }

  private warn(message: string): void {
    this.crlWarnings.push(message);
    if (this.crlWarnings.length > 100) this.crlWarnings.shift();
  }
}

function isSelfSigned(cert: X509Certificate): boolean {
  return cert.checkIssued(cert) && cert.verify(cert.publicKey);
}

function usable(crl: ParsedCrl, now: number): boolean {
  return crl.nextUpdate === undefined || now <= crl.nextUpdate;
}
