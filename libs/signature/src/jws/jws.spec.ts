import { createHmac, sign as cryptoSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DevPkiManifest } from '../../../../certs-dev/dev-pki';
import { SignatureErrorCode as Code } from '../signature-error-code';
import { keyRingOf, leafMaterial, MutableClock, testPki, trustStoreOf } from '../testing/test-pki';
import { JwsSigner } from './jws-signer';
import { JwsVerifier } from './jws-verifier';
import { JwsBinding } from './jws.constants';

let pki: DevPkiManifest;
beforeAll(async () => {
  pki = await testPki();
}, 60_000);

const body = JSON.stringify({ pin: '5ABC123', purpose: 'Benefit & pension check', note: 'dots.are.fine' });
const binding: JwsBinding = { method: 'POST', path: '/v1/persons/search?lang=az', messageId: '01JDEV0000000000000000TEST' };
const verifier = (options: ConstructorParameters<typeof JwsVerifier>[1] = {}): JwsVerifier => new JwsVerifier(trustStoreOf(pki), options);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'ACCEPTED';
}

function header(jws: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jws.split('.')[0], 'base64url').toString()) as Record<string, unknown>;
}

/** Re-signs a modified protected header with the given leaf's real key (a "valid" but hostile JWS). */
function resign(jws: string, changes: Record<string, unknown>, leaf = 'gateway-rsa', payload = body): string {
  const h = Buffer.from(JSON.stringify({ ...header(jws), ...changes })).toString('base64url');
  const key = leafMaterial(pki, leaf).privateKey;
  const input = Buffer.concat([Buffer.from(`${h}.`), Buffer.from(payload)]);
  const sig = key.asymmetricKeyType === 'ec' ? cryptoSign('sha256', input, { key, dsaEncoding: 'ieee-p1363' }) : cryptoSign('sha256', input, key);
  return `${h}..${sig.toString('base64url')}`;
}

describe('JwsSigner + JwsVerifier', () => {
  it.each([
    ['gateway-rsa', 'RS256', 256],
    ['gateway-ec', 'ES256', 64],
  ])('signs with %s as a detached %s JWS with an unencoded payload and verifies it', async (name, alg, sigBytes) => {
    const jws = new JwsSigner(keyRingOf(pki, name)).sign(body, binding);
    const [h, payload, sig] = jws.split('.');
    expect(payload).toBe('');
    expect(Buffer.from(sig, 'base64url')).toHaveLength(sigBytes);
    expect(header(jws)).toMatchObject({ alg, b64: false, crit: ['b64'], 'korpu:method': 'POST', 'korpu:path': binding.path, 'korpu:mid': binding.messageId });
    expect((header(jws).x5c as string[]).length).toBe(2);
    expect(h.length).toBeGreaterThan(0);
    const result = await verifier().verify(jws, Buffer.from(body), binding);
    expect(result).toMatchObject({ alg, kid: header(jws).kid });
    expect(result.signer.subject).toContain(name);
  });

  it.each([
    ['gateway-rsa', 'RS256'],
    ['gateway-ec', 'ES256'],
  ])('signs on the thread pool (signAsync) with %s the JWS that verifies, and refuses it for another body', async (name, alg) => {
    const jws = await new JwsSigner(keyRingOf(pki, name)).signAsync(body, binding);
    expect(header(jws)).toMatchObject({ alg, b64: false, 'korpu:mid': binding.messageId });
    await expect(verifier().verify(jws, body, binding)).resolves.toMatchObject({ alg });
    expect(await codeOf(verifier().verify(jws, `${body} `, binding))).toBe(Code.INVALID);
  });

  it('binds a response to its request and status', async () => {
    const response = { ...binding, status: 200 };
    const jws = new JwsSigner(keyRingOf(pki, 'population-registry-ec')).sign('{"ok":true}', response);
    await expect(verifier().verify(jws, '{"ok":true}', response)).resolves.toBeDefined();
    expect(await codeOf(verifier().verify(jws, '{"ok":true}', { ...response, status: 500 }))).toBe(Code.JWS_BINDING_MISMATCH);
  });

  describe('covers the X-Road headers and the declared schema version when the binding names headers', () => {
    const headers = {
      'X-Road-Client': 'AZ/GOV/1400000001/egov-portal',
      'X-Road-Service': 'AZ/GOV/1400000009/pensions/GetPensionEntitlement',
      'X-Road-Id': binding.messageId,
      'X-Road-UserId': 'AZ0000001',
      'X-Korpu-Schema-Version': '2',
      'content-type': 'application/xml',
    };
    const received = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
    let jws: string;
    beforeAll(() => {
      jws = new JwsSigner(keyRingOf(pki, 'egov-portal-rsa')).sign(body, { ...binding, headers });
    });

    it('signs the covered headers only, lower-cased, and verifies them against the headers received', async () => {
      expect(header(jws)['korpu:hdrs']).toEqual({
        'x-road-client': headers['X-Road-Client'],
        'x-road-service': headers['X-Road-Service'],
        'x-road-id': binding.messageId,
        'x-road-userid': 'AZ0000001',
        'x-korpu-schema-version': '2',
      });
      await expect(verifier().verify(jws, body, { ...binding, headers: { ...received, 'content-type': 'text/xml' } })).resolves.toBeDefined();
    });

    it.each([
      ['X-Road-UserId changed', { 'x-road-userid': 'AZ9999999' }, 'x-road-userid'],
      ['X-Road-Client changed', { 'x-road-client': 'AZ/GOV/1400000002/population-registry' }, 'x-road-client'],
      ['X-Road-Service changed', { 'x-road-service': 'AZ/GOV/1400000009/disability/GetDisabilityStatus' }, 'x-road-service'],
      ['X-Korpu-Schema-Version changed', { 'x-korpu-schema-version': '1' }, 'x-korpu-schema-version'],
      ['X-Korpu-Schema-Version removed', { 'x-korpu-schema-version': undefined }, 'x-korpu-schema-version'],
      ['X-Road-Issue added', { 'x-road-issue': 'case-42' }, 'x-road-issue'],
      ['X-Korpu-Message-Type added', { 'X-Korpu-Message-Type': 'disability-status-request' }, 'x-korpu-message-type'],
    ])('refuses a request with %s after signing', async (_what, change, name) => {
      const error = await verifier()
        .verify(jws, body, { ...binding, headers: { ...received, ...change } })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: Code.JWS_BINDING_MISMATCH, details: { mismatches: [`header ${name}`] } });
    });

    it('refuses a JWS that signed no headers where the receiver expects them', async () => {
      const bare = new JwsSigner(keyRingOf(pki, 'egov-portal-rsa')).sign(body, binding);
      expect(await codeOf(verifier().verify(bare, body, { ...binding, headers: received }))).toBe(Code.JWS_BINDING_MISMATCH);
    });

    it('still verifies for a receiver that checks method, path and message id only', async () => {
      await expect(verifier().verify(jws, body, binding)).resolves.toBeDefined();
    });

    it('joins a repeated header as HTTP folds it', async () => {
      const repeated = new JwsSigner(keyRingOf(pki, 'egov-portal-rsa')).sign(body, { ...binding, headers: { 'x-road-userid': ['A', 'B'] } });
      expect(header(repeated)['korpu:hdrs']).toEqual({ 'x-road-userid': 'A, B' });
      await expect(verifier().verify(repeated, body, { ...binding, headers: { 'x-road-userid': 'A, B' } })).resolves.toBeDefined();
    });
  });

  describe('refuses', () => {
    let jws: string;
    beforeAll(() => {
      jws = new JwsSigner(keyRingOf(pki, 'gateway-rsa')).sign(body, binding);
    });

    it('a tampered body', async () => {
      expect(await codeOf(verifier().verify(jws, body.replace('5ABC123', '9ZZZ999'), binding))).toBe(Code.INVALID);
    });

    it.each([
      ['method', { ...binding, method: 'DELETE' }],
      ['path', { ...binding, path: '/v1/persons/search?lang=en' }],
      ['message id', { ...binding, messageId: '01JDEV0000000000000000OTHER' }],
    ])('a signature moved to a request with another %s', async (_what, other) => {
      expect(await codeOf(verifier().verify(jws, body, other))).toBe(Code.JWS_BINDING_MISMATCH);
    });

    it('alg "none"', async () => {
      const h = Buffer.from(JSON.stringify({ ...header(jws), alg: 'none' })).toString('base64url');
      expect(await codeOf(verifier().verify(`${h}..AA`, body, binding))).toBe(Code.ALGORITHM_NOT_ALLOWED);
    });

    it('HS256 keyed with the public certificate (algorithm confusion)', async () => {
      const h = Buffer.from(JSON.stringify({ ...header(jws), alg: 'HS256' })).toString('base64url');
      const mac = createHmac('sha256', readFileSync(pki.leaves['gateway-rsa'].cert)).update(`${h}.${body}`).digest('base64url');
      expect(await codeOf(verifier().verify(`${h}..${mac}`, body, binding))).toBe(Code.ALGORITHM_NOT_ALLOWED);
    });

    it('ES256 claimed over an RSA certificate', async () => {
      expect(await codeOf(verifier().verify(resign(jws, { alg: 'ES256' }), body, binding))).toBe(Code.ALGORITHM_NOT_ALLOWED);
    });

    it('an algorithm outside a narrowed allow-list', async () => {
      expect(await codeOf(verifier({ allowedAlgorithms: ['ES256'] }).verify(jws, body, binding))).toBe(Code.ALGORITHM_NOT_ALLOWED);
    });

    it.each([
      ['crit missing', { crit: undefined }],
      ['an unknown crit entry', { crit: ['b64', 'exp'] }],
      ['b64 true', { b64: true }],
    ])('%s', async (_name, changes) => {
      expect(await codeOf(verifier().verify(resign(jws, changes), body, binding))).toBe(Code.JWS_CRIT_UNSUPPORTED);
    });

    it('an attached (non-detached) payload', async () => {
      const [h, , s] = jws.split('.');
      expect(await codeOf(verifier().verify(`${h}.${Buffer.from(body).toString('base64url')}.${s}`, body, binding))).toBe(Code.JWS_MALFORMED);
    });

    it('garbage', async () => {
      expect(await codeOf(verifier().verify('not a jws', body, binding))).toBe(Code.JWS_MALFORMED);
      expect(await codeOf(verifier().verify('e30..AA', body, binding))).toBe(Code.ALGORITHM_NOT_ALLOWED);
    });

    it('a missing x5c and an x5t#S256 that does not match x5c[0]', async () => {
      expect(await codeOf(verifier().verify(resign(jws, { x5c: undefined }), body, binding))).toBe(Code.KEY_INFO_INVALID);
      expect(await codeOf(verifier().verify(resign(jws, { 'x5t#S256': 'AAAA' }), body, binding))).toBe(Code.KEY_INFO_INVALID);
    });

    it('a stale and a future iat', async () => {
      const clock = new MutableClock();
      clock.advance(6 * 60);
      expect(await codeOf(verifier({ clock }).verify(jws, body, binding))).toBe(Code.TIMESTAMP_STALE);
      clock.advance(-12 * 60);
      expect(await codeOf(verifier({ clock }).verify(jws, body, binding))).toBe(Code.TIMESTAMP_FUTURE);
    });

    it.each([
      ['untrusted-rsa', Code.CERT_UNTRUSTED],
      ['revoked-rsa', Code.CERT_REVOKED],
      ['expired-rsa', Code.CERT_EXPIRED],
      ['not-yet-valid-rsa', Code.CERT_NOT_YET_VALID],
      ['no-digital-signature-rsa', Code.CERT_KEY_USAGE],
    ])('a JWS signed with %s', async (name, code) => {
      const bad = new JwsSigner(keyRingOf(pki, name)).sign(body, binding);
      expect(await codeOf(verifier().verify(bad, body, binding))).toBe(code);
    });
  });

  it('one verifier instance reuses parsed certificates yet validates the chain on every use', async () => {
    const once = verifier();
    const good = new JwsSigner(keyRingOf(pki, 'gateway-rsa')).sign(body, binding);
    const revoked = new JwsSigner(keyRingOf(pki, 'revoked-rsa')).sign(body, binding);
    for (let i = 0; i < 2; i += 1) {
      expect(await codeOf(once.verify(good, body, binding))).toBe('ACCEPTED');
      expect(await codeOf(once.verify(revoked, body, binding))).toBe(Code.CERT_REVOKED);
    }
  });

  it('refuses a certificate it has already parsed once the trust store\'s clock passes its expiry', async () => {
    const clock = new MutableClock();
    const once = new JwsVerifier(trustStoreOf(pki, { clock }));
    const jws = new JwsSigner(keyRingOf(pki, 'gateway-rsa')).sign(body, binding);
    expect(await codeOf(once.verify(jws, body, binding))).toBe('ACCEPTED');
    clock.advance(50 * 365 * 24 * 3600);
    expect(await codeOf(once.verify(jws, body, binding))).toBe(Code.CERT_EXPIRED);
  });
});

