import 'reflect-metadata'; // @peculiar/x509 (tsyringe) needs the Reflect polyfill
import { webcrypto, X509Certificate } from 'node:crypto';
import * as px509 from '@peculiar/x509';
import { Clock, systemClock } from '../clock';
import { SignatureErrorCode } from '../signature-error-code';
import { SignatureException } from '../signature.exception';
import type { CrlFetcher } from './crl-fetcher';
import { certificateKid, crlDer, normalizeSerial } from './pki-encoding';

px509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof px509.cryptoProvider.set>[0]);

/**
 * `require` (default): a certificate whose issuer has no usable CRL is refused with CRL_UNAVAILABLE (fail closed).
 * `best-effort`: such a certificate passes; a CRL that is available and lists it still refuses it.
 */
export type RevocationMode = 'require' | 'best-effort';

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
  clock?: Clock;
  /** Longest accepted path, leaf and anchor included. */
  maxPathLength?: number;
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
  /** false only in `best-effort` mode when some issuer had no CRL */
  revocationChecked: boolean;
}

interface CertInfo {
  keyUsage?: number;
  crlUrls: string[];
  peculiar: px509.X509Certificate;
}

interface ParsedCrl {
  issuerFingerprint: string;
  thisUpdate: number;
  nextUpdate?: number;
  revoked: Set<string>;
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
 * fetched from distribution points through the CrlFetcher port). OCSP is not implemented.
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
  }

  /** Trust anchors (self-signed CA certificates). */
  get trustAnchors(): readonly X509Certificate[] {
    return this.anchors;
  }

  /** Problems met while loading CRLs (unparsable, unknown issuer, bad signature) — for health endpoints. */
  get warnings(): readonly string[] {
    return this.crlWarnings;
  }

  /**
   * Validates `leaf` (with any intermediates the sender supplied) at the current time.
   * @throws SignatureException CERT_UNTRUSTED | CERT_EXPIRED | CERT_NOT_YET_VALID | CERT_KEY_USAGE | CERT_INVALID | CERT_REVOKED | CRL_UNAVAILABLE
   */
  async validate(leaf: X509Certificate, supplied: X509Certificate[] = []): Promise<ValidatedCertificate> {
    const now = this.clock.now();
    const path = this.buildPath(leaf, supplied);
    path.forEach((cert, i) => this.checkValidity(cert, now, i === 0));
    this.checkUsage(path);
    let revocationChecked = true;
    for (let i = 0; i < path.length - 1; i++) {
      revocationChecked = (await this.checkRevocation(path[i], path[i + 1], now)) && revocationChecked;
    }
    return {
      certificate: leaf,
      path,
      thumbprint: certificateKid(leaf),
      subject: leaf.subject,
      serialNumber: leaf.serialNumber,
      revocationChecked,
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

  /** @returns whether revocation was actually checked (false only in best-effort mode) */
  private async checkRevocation(cert: X509Certificate, issuer: X509Certificate, now: number): Promise<boolean> {
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
    if (crls.length === 0) {
      if (this.revocation === 'best-effort') return false;
      throw new SignatureException(SignatureErrorCode.CRL_UNAVAILABLE, 'no current CRL for the issuer', {
        subject: cert.subject,
        issuer: issuer.subject,
      });
    }
    const serial = normalizeSerial(cert.serialNumber);
    if (crls.some((crl) => crl.revoked.has(serial))) {
      throw new SignatureException(SignatureErrorCode.CERT_REVOKED, 'certificate has been revoked', {
        subject: cert.subject,
        serialNumber: cert.serialNumber,
      });
    }
    return true;
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
        revoked: new Set(crl.entries.map((e) => normalizeSerial(e.serialNumber))),
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
      info = { keyUsage, crlUrls, peculiar };
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
