import { sign as cryptoSign } from 'node:crypto';
import { Clock, systemClock } from '../clock';
import type { KeyRing } from '../keys/key-ring';
import { certificateKid } from '../trust/pki-encoding';
import { JwsAlgorithm, JwsBinding, JwsParam, coveredHeaders } from './jws.constants';

export interface JwsSignerOptions {
  clock?: Clock;
}

/**
 * Produces detached JWS (RFC 7515 appendix F) with unencoded payload (RFC 7797: `b64:false`, `crit:["b64"]`)
 * in compact form `<protected>..<signature>`. RS256 for RSA keys, ES256 for P-256 keys. The protected header
 * carries `kid`, `x5c` (leaf first), `x5t#S256`, `iat` and the HTTP binding (method, path, message id, and the
 * covered X-Road / schema headers when the binding names the headers).
 */
export class JwsSigner {
  private readonly clock: Clock;

  constructor(
    private readonly keyRing: KeyRing,
    options: JwsSignerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  sign(payload: Uint8Array | string, binding: JwsBinding, options: { kid?: string } = {}): string {
    const { protectedHeader, input, key, alg } = this.prepare(payload, binding, options);
    const signature =
      alg === 'ES256'
        ? cryptoSign('sha256', input, { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
        : cryptoSign('sha256', input, key.privateKey);
    return `${protectedHeader}..${signature.toString('base64url')}`;
  }

  /**
   * The same JWS as sign(), the private-key operation run on libuv's thread pool instead of the event loop (an RSA
   * signature takes about a millisecond of CPU: on a busy dispatcher the loop keeps serving other messages meanwhile).
   */
  async signAsync(payload: Uint8Array | string, binding: JwsBinding, options: { kid?: string } = {}): Promise<string> {
    const { protectedHeader, input, key, alg } = this.prepare(payload, binding, options);
    const signature = await new Promise<Buffer>((resolve, reject) =>
      cryptoSign('sha256', input, alg === 'ES256' ? { key: key.privateKey, dsaEncoding: 'ieee-p1363' } : key.privateKey, (error, result) =>
        error ? reject(error) : resolve(result),
      ),
    );
    return `${protectedHeader}..${signature.toString('base64url')}`;
  }

  private prepare(payload: Uint8Array | string, binding: JwsBinding, options: { kid?: string }) {
    const key = this.keyRing.resolve(options.kid);
    const alg: JwsAlgorithm = key.type === 'ec' ? 'ES256' : 'RS256';
    const header: Record<string, unknown> = {
      alg,
      kid: key.kid,
      x5c: [key.certificate, ...key.chain].map((c) => c.raw.toString('base64')),
      'x5t#S256': certificateKid(key.certificate),
      b64: false,
      crit: ['b64'],
      iat: Math.floor(this.clock.now() / 1000),
      [JwsParam.METHOD]: binding.method.toUpperCase(),
      [JwsParam.PATH]: binding.path,
      [JwsParam.MESSAGE_ID]: binding.messageId,
    };
    if (binding.status !== undefined) header[JwsParam.STATUS] = binding.status;
    if (binding.headers !== undefined) header[JwsParam.HEADERS] = coveredHeaders(binding.headers);
    if (binding.requestHash !== undefined) header[JwsParam.REQUEST_HASH] = binding.requestHash;
    const protectedHeader = Buffer.from(JSON.stringify(header), 'utf8').toString('base64url');
    const input = Buffer.concat([Buffer.from(`${protectedHeader}.`, 'ascii'), toBytes(payload)]);
    return { protectedHeader, input, key, alg };
  }
}

export function toBytes(payload: Uint8Array | string): Buffer {
  return typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
}
