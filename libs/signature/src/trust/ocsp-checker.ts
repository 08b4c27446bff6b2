import { randomBytes, X509Certificate } from 'node:crypto';
import { SignatureErrorCode } from '../signature-error-code';
import type { OcspClient } from './ocsp-client';
import { buildOcspRequest, OcspAnswer, OcspFailure, OcspFailureCode, OcspHash, verifyOcspResponse } from './ocsp-protocol';
import { normalizeSerial } from './pki-encoding';

export interface OcspCheckerOptions {
  client: OcspClient;
  /** Longest time a good/revoked answer is reused (never past its nextUpdate). */
  maxCacheMs: number;
  clockSkewMs: number;
  /** Send a nonce and require it back when the responder echoes one. */
  nonce: boolean;
  /** Hash of the CertID sent (the response may use SHA-1 or SHA-256). */
  certIdHash: OcspHash;
  /** After a responder could not be reached, how long it is not asked again (answers count as unavailable). */
  retryMs: number;
}

export type OcspOutcome =
  | { kind: 'answer'; answer: OcspAnswer; url: string; cached: boolean }
  | { kind: 'failure'; code: OcspFailureCode; message: string };

interface CachedAnswer {
  answer: OcspAnswer;
  url: string;
  expiresAt: number;
}

const CACHE_LIMIT = 10_000;

/**
 * Asks the OCSP responders a certificate names (in order, until one gives a usable answer), verifies the answer and
 * caches good/revoked answers until their nextUpdate (at most maxCacheMs). Never throws: failures are outcomes,
 * so that the TrustStore can fall back to a CRL.
 */
export class OcspChecker {
  private readonly cache = new Map<string, CachedAnswer>();
  private readonly inflight = new Map<string, Promise<OcspOutcome>>();
  private readonly downSince = new Map<string, number>();

  constructor(
    private readonly options: OcspCheckerOptions,
    private readonly warn: (message: string) => void,
  ) {}

  async check(cert: X509Certificate, issuer: X509Certificate, urls: string[], now: number): Promise<OcspOutcome> {
    const key = `${issuer.fingerprint256}/${normalizeSerial(cert.serialNumber)}`;
    const cached = this.cache.get(key);
    if (cached && now < cached.expiresAt) return { kind: 'answer', answer: cached.answer, url: cached.url, cached: true };
    const running = this.inflight.get(key);
    if (running) return running;
    const task = this.ask(cert, issuer, urls, now, key).finally(() => this.inflight.delete(key));
    this.inflight.set(key, task);
    return task;
  }

  private async ask(cert: X509Certificate, issuer: X509Certificate, urls: string[], now: number, key: string): Promise<OcspOutcome> {
    const failures: OcspFailure[] = [];
    for (const url of urls) {
      const down = this.downSince.get(url);
      if (down !== undefined && now - down < this.options.retryMs) {
        failures.push(new OcspFailure(SignatureErrorCode.OCSP_UNAVAILABLE, `responder ${url} failed recently`));
        continue;
      }
      const request = buildOcspRequest(cert, issuer, this.options.certIdHash, this.options.nonce ? randomBytes(16) : undefined);
      let body: Uint8Array;
      try {
        body = await this.options.client.request(url, request.der);
        this.downSince.delete(url);
      } catch (error) {
        this.downSince.set(url, now);
        failures.push(new OcspFailure(SignatureErrorCode.OCSP_UNAVAILABLE, `responder ${url}: ${(error as Error).message}`));
        continue;
      }
      try {
        const answer = verifyOcspResponse(body, {
          cert,
          issuer,
          nonce: request.nonce,
          now,
          clockSkewMs: this.options.clockSkewMs,
          maxAgeMs: this.options.maxCacheMs,
        });
        if (answer.status !== 'unknown') this.remember(key, answer, url, now);
        return { kind: 'answer', answer, url, cached: false };
      } catch (error) {
        if (!(error instanceof OcspFailure)) throw error;
        failures.push(new OcspFailure(error.code, `responder ${url}: ${error.message}`));
      }
    }
    // A response that was there but unusable says more than an unreachable responder.
    const worst = failures.find((f) => f.code !== SignatureErrorCode.OCSP_UNAVAILABLE) ?? failures[0];
    for (const failure of failures) this.warn(`OCSP for serial ${cert.serialNumber}: ${failure.message}`);
    return worst
      ? { kind: 'failure', code: worst.code, message: worst.message }
      : { kind: 'failure', code: SignatureErrorCode.OCSP_UNAVAILABLE, message: 'no usable OCSP responder URL' };
  }

  private remember(key: string, answer: OcspAnswer, url: string, now: number): void {
    const expiresAt = Math.min(answer.nextUpdate ?? answer.thisUpdate + this.options.maxCacheMs, now + this.options.maxCacheMs);
    if (expiresAt <= now) return;
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(key, { answer, url, expiresAt });
  }
}
