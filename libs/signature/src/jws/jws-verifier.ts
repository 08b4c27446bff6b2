import { KeyObject, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { Clock, systemClock } from '../clock';
import { SignatureErrorCode as Code } from '../signature-error-code';
import { SignatureException } from '../signature.exception';
import { certificateKid, strictBase64 } from '../trust/pki-encoding';
import type { TrustStore, ValidatedCertificate } from '../trust/trust-store';
import { toBytes } from './jws-signer';
import { DEFAULT_ALLOWED_JWS_ALGORITHMS, JWS_COVERED_HEADERS, JwsAlgorithm, JwsBinding, JwsParam, coveredHeaders } from './jws.constants';

export interface JwsVerifierOptions {
  allowedAlgorithms?: JwsAlgorithm[];
  /** Oldest accepted `iat`. Default 300 s. */
  maxAgeSeconds?: number;
  /** Tolerated clock difference. Default 60 s. */
  clockSkewSeconds?: number;
  clock?: Clock;
}

export interface VerifiedJws {
  signer: ValidatedCertificate;
  alg: JwsAlgorithm;
  kid?: string;
  issuedAt: Date;
  header: Record<string, unknown>;
}

const B64URL = /^[A-Za-z0-9_-]+$/;
const KNOWN_CRIT = new Set(['b64']);
const KEY_TYPE: Record<JwsAlgorithm, { type: string; curve?: string }> = {
  RS256: { type: 'rsa' },
  ES256: { type: 'ec', curve: 'prime256v1' },
};

/**
 * Verifies detached, unencoded-payload JWS made by JwsSigner (or any RFC 7515/7797 implementation) against
 * the actual body and HTTP exchange. Refuses `none`, HMAC and anything outside the allow-list, an algorithm
 * that does not fit the certificate's key, unknown `crit` entries, a binding to another method/path/message id
 * (or, when the expected binding names the headers, a covered header added, removed or changed after signing),
 * a stale or future `iat`, and a certificate chain the TrustStore refuses.
 */
/**
 * Parsed x5c certificates, keyed by their exact base64 text (parsing only: the chain is still validated, expiry and
 * revocation included, on every use), with each one's public key: a message signed by a known signer costs no base64
 * decoding, hashing or key parsing before its signature check (the dispatcher's drain profile, #12).
 */
const PARSED_LIMIT = 1024;

interface ParsedCertificate {
  certificate: X509Certificate;
  publicKey: KeyObject;
}

export class JwsVerifier {
  private readonly parsed = new Map<string, ParsedCertificate>();
  private readonly allowed: JwsAlgorithm[];
  private readonly maxAgeMs: number;
  private readonly skewMs: number;
  private readonly clock: Clock;

  constructor(
    private readonly trustStore: TrustStore,
    options: JwsVerifierOptions = {},
  ) {
    this.allowed = options.allowedAlgorithms ?? DEFAULT_ALLOWED_JWS_ALGORITHMS;
    this.maxAgeMs = (options.maxAgeSeconds ?? 300) * 1000;
    this.skewMs = (options.clockSkewSeconds ?? 60) * 1000;
    this.clock = options.clock ?? systemClock;
  }

  /** @throws SignatureException */
  async verify(jws: string, payload: Uint8Array | string, expected: JwsBinding): Promise<VerifiedJws> {
    const parts = jws.trim().split('.');
    if (parts.length !== 3 || parts[1] !== '' || !B64URL.test(parts[0]) || !B64URL.test(parts[2])) {
      fail(Code.JWS_MALFORMED, 'expected a detached compact JWS "<header>..<signature>"');
    }
    if (parts[0].length > 64 * 1024) fail(Code.JWS_MALFORMED, 'protected header too large');
    let header: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      fail(Code.JWS_MALFORMED, 'protected header is not JSON');
    }
    if (typeof header !== 'object' || header === null || Array.isArray(header)) fail(Code.JWS_MALFORMED, 'protected header is not an object');

    const alg = header.alg as JwsAlgorithm;
    if (typeof alg !== 'string' || !this.allowed.includes(alg) || !KEY_TYPE[alg]) fail(Code.ALGORITHM_NOT_ALLOWED, `alg ${String(header.alg)} is not allowed`);
    const crit = header.crit;
    if (!Array.isArray(crit) || crit.length === 0 || crit.some((c) => typeof c !== 'string' || !KNOWN_CRIT.has(c)) || !crit.includes('b64')) {
      fail(Code.JWS_CRIT_UNSUPPORTED, 'crit must be ["b64"]');
    }
    if (header.b64 !== false) fail(Code.JWS_CRIT_UNSUPPORTED, 'only unencoded payloads (b64:false) are accepted');

    const parsedChain = this.certificates(header);
    const chain = parsedChain.map((entry) => entry.certificate);
    const leaf = chain[0];
    const thumbprint = header['x5t#S256'];
    if (thumbprint !== undefined && thumbprint !== certificateKid(leaf)) fail(Code.KEY_INFO_INVALID, 'x5t#S256 does not match x5c[0]');
    const want = KEY_TYPE[alg];
    const key = parsedChain[0].publicKey;
    if (key.asymmetricKeyType !== want.type || (want.curve && key.asymmetricKeyDetails?.namedCurve !== want.curve)) {
      fail(Code.ALGORITHM_NOT_ALLOWED, `${alg} does not fit the certificate's ${key.asymmetricKeyType} key`);
    }

    const input = Buffer.concat([Buffer.from(`${parts[0]}.`, 'ascii'), toBytes(payload)]);
    const signature = Buffer.from(parts[2], 'base64url');
    // On the event loop: an RSA-2048 or P-256 verification takes 20–100 µs, less than a hop through libuv's thread pool
    // costs (a worker thread woken, then the loop woken again: 5–8 ms per request on a busy 2-core machine, #12).
    // A key or signature the operation cannot take is a failed verification.
    let ok: boolean;
    try {
      ok = cryptoVerify('sha256', input, alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key, signature);
    } catch {
      ok = false;
    }
    if (!ok) fail(Code.INVALID, 'the JWS signature does not verify');

    this.checkBinding(header, expected);
    const iat = header.iat;
    if (typeof iat !== 'number' || !Number.isFinite(iat)) fail(Code.JWS_MALFORMED, 'iat is required');
    const now = this.clock.now();
    if (iat * 1000 > now + this.skewMs) fail(Code.TIMESTAMP_FUTURE, 'iat is in the future');
    if (now - this.skewMs > iat * 1000 + this.maxAgeMs) fail(Code.TIMESTAMP_STALE, 'iat is too old');

    const signer = await this.trustStore.validate(leaf, chain.slice(1));
    return { signer, alg, kid: typeof header.kid === 'string' ? header.kid : undefined, issuedAt: new Date(iat * 1000), header };
  }

  private certificates(header: Record<string, unknown>): ParsedCertificate[] {
    const x5c = header.x5c;
    if (!Array.isArray(x5c) || x5c.length === 0 || x5c.length > 5) fail(Code.KEY_INFO_INVALID, 'x5c (1 to 5 certificates) is required');
    return x5c.map((entry) => {
      if (typeof entry !== 'string') fail(Code.KEY_INFO_INVALID, 'x5c entries must be base64 DER');
      const cached = this.parsed.get(entry);
      if (cached) return cached;
      const der = strictBase64(entry);
      if (!der) fail(Code.KEY_INFO_INVALID, 'x5c entries must be base64 DER');
      let parsed: ParsedCertificate;
      try {
        const certificate = new X509Certificate(der);
        parsed = { certificate, publicKey: certificate.publicKey };
      } catch (cause) {
        throw new SignatureException(Code.KEY_INFO_INVALID, 'x5c entry is not a certificate', undefined, cause);
      }
      if (this.parsed.size >= PARSED_LIMIT) this.parsed.delete(this.parsed.keys().next().value as string);
      this.parsed.set(entry, parsed);
      return parsed;
    });
  }

  private checkBinding(header: Record<string, unknown>, expected: JwsBinding): void {
    const mismatches: string[] = [];
    if (header[JwsParam.METHOD] !== expected.method.toUpperCase()) mismatches.push('method');
    if (header[JwsParam.PATH] !== expected.path) mismatches.push('path');
    if (header[JwsParam.MESSAGE_ID] !== expected.messageId) mismatches.push('messageId');
    if (expected.status !== undefined && header[JwsParam.STATUS] !== expected.status) mismatches.push('status');
    if (expected.requestHash !== undefined && header[JwsParam.REQUEST_HASH] !== expected.requestHash) mismatches.push('requestHash');
    if (expected.headers !== undefined) {
      const signed = header[JwsParam.HEADERS];
      if (typeof signed !== 'object' || signed === null || Array.isArray(signed)) mismatches.push('headers (none signed)');
      else {
        const received = coveredHeaders(expected.headers);
        const signedHeaders = signed as Record<string, unknown>;
        for (const name of JWS_COVERED_HEADERS) if (signedHeaders[name] !== received[name]) mismatches.push(`header ${name}`);
      }
    }
    if (mismatches.length) fail(Code.JWS_BINDING_MISMATCH, `the JWS was made for another ${mismatches.join(', ')}`, { mismatches });
  }
}

function fail(code: Code, message: string, details?: Record<string, unknown>): never {
  throw new SignatureException(code, message, details);
}
