import { readFileSync } from 'node:fs';
import { OCSPResponseStatus } from '@peculiar/asn1-ocsp';
import type { DevPkiManifest } from '../../../../certs-dev/dev-pki';
import { SignatureErrorCode } from '../signature-error-code';
import { createSignatureServices } from '../signature.factory';
import { DevOcspBehaviour, DevOcspClient, DevOcspResponder } from '../testing/dev-ocsp-responder';
import { leafCert, MutableClock, testPki, trustStoreOf } from '../testing/test-pki';
import { TrustStore, TrustStoreOptions } from './trust-store';

let pki: DevPkiManifest;
beforeAll(async () => {
  pki = await testPki();
}, 60_000);

async function errorOf(promise: Promise<unknown>): Promise<{ code: string; details?: Record<string, unknown>; status?: number; retryable?: boolean }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string };
  }
  return { code: 'ACCEPTED' };
}

/** CRL sets: the root's is always there (the intermediate names no responder, so the CRL covers it). */
const crls = {
  none: (): Uint8Array[] => [readFileSync(pki.crls.root)],
  listingRevoked: (): Uint8Array[] => [readFileSync(pki.crls.root), readFileSync(pki.crls.intermediate)],
  empty: (): Uint8Array[] => [readFileSync(pki.crls.root), readFileSync(pki.crls.intermediateEmpty)],
};

function setUp(
  behaviour: DevOcspBehaviour = {},
  options: Partial<TrustStoreOptions> = {},
): { store: TrustStore; client: DevOcspClient; responder: DevOcspResponder } {
  const responder = new DevOcspResponder(pki, behaviour);
  const client = new DevOcspClient(responder);
  const store = trustStoreOf(pki, { loadCrls: crls.none, ocspClient: client, ...options });
  return { store, client, responder };
}

describe('TrustStore with OCSP', () => {
  it('accepts a certificate the responder says is good, without needing a CRL for its issuer', async () => {
    const { store, client } = setUp();
    const result = await store.validate(leafCert(pki, 'ocsp-good-rsa'));
    expect(result.revocationChecked).toBe(true);
    expect(result.revocation[0]).toMatchObject({ source: 'ocsp', cached: false });
    expect(result.revocation[1]).toMatchObject({ source: 'crl' }); // the intermediate, by the root's CRL
    expect(client.calls).toEqual([pki.ocspUrl]);
  });

  it('refuses a certificate the responder says is revoked with CERT_REVOKED and the reason, even when a CRL says good', async () => {
    const { store } = setUp({}, { loadCrls: crls.empty });
    const error = await errorOf(store.validate(leafCert(pki, 'ocsp-revoked-rsa')));
    expect(error.code).toBe(SignatureErrorCode.CERT_REVOKED);
    expect(error.details).toMatchObject({ source: 'ocsp', reason: 'keyCompromise' });
    expect(error.status).toBe(401);
  });

  it('refuses a certificate the responder does not know with OCSP_UNKNOWN, without falling back to the CRL', async () => {
    const { store } = setUp({ status: 'unknown' }, { loadCrls: crls.empty });
    const error = await errorOf(store.validate(leafCert(pki, 'ocsp-good-rsa')));
    expect(error).toMatchObject({ code: SignatureErrorCode.OCSP_UNKNOWN, retryable: false });
  });

  it('does not ask OCSP for certificates that name no responder', async () => {
    const { store, client } = setUp({}, { loadCrls: crls.listingRevoked });
    await store.validate(leafCert(pki, 'gateway-rsa'));
    expect(client.calls).toEqual([]);
  });

  describe('when the responder gives no answer', () => {
    it('falls back to the CRL: passes when the CRL does not list the certificate', async () => {
      const { store, client } = setUp({}, { loadCrls: crls.listingRevoked });
      client.down = true;
      const result = await store.validate(leafCert(pki, 'ocsp-good-rsa'));
      expect(result.revocationChecked).toBe(true);
      expect(result.revocation[0]).toEqual(
        expect.objectContaining({ source: 'crl', ocspFailure: SignatureErrorCode.OCSP_UNAVAILABLE }),
      );
      expect(store.warnings.join('\n')).toContain('ECONNREFUSED');
    });

    it('falls back to the CRL: CERT_REVOKED when the CRL lists the certificate', async () => {
      const { store, client } = setUp({}, { loadCrls: crls.listingRevoked });
      client.down = true;
      const error = await errorOf(store.validate(leafCert(pki, 'ocsp-revoked-rsa')));
      expect(error.code).toBe(SignatureErrorCode.CERT_REVOKED);
      expect(error.details).toMatchObject({ source: 'crl', reason: 'keyCompromise' });
    });

    it('fails closed with OCSP_UNAVAILABLE (503, retryable) in require mode when there is no CRL either', async () => {
      const { store, client } = setUp();
      client.down = true;
      const error = await errorOf(store.validate(leafCert(pki, 'ocsp-good-rsa')));
      expect(error).toMatchObject({ code: SignatureErrorCode.OCSP_UNAVAILABLE, status: 503, retryable: true });
    });

    it('passes, flagged as unchecked, in best-effort mode when there is no CRL either', async () => {
      const { store, client } = setUp({}, { revocation: 'best-effort' });
      client.down = true;
      const result = await store.validate(leafCert(pki, 'ocsp-good-rsa'));
      expect(result.revocationChecked).toBe(false);
      expect(result.revocation[0]).toEqual(
        expect.objectContaining({ source: 'none', ocspFailure: SignatureErrorCode.OCSP_UNAVAILABLE }),
      );
    });

    it('still refuses a revoked answer in best-effort mode', async () => {
      const { store } = setUp({}, { revocation: 'best-effort' });
      expect((await errorOf(store.validate(leafCert(pki, 'ocsp-revoked-rsa')))).code).toBe(SignatureErrorCode.CERT_REVOKED);
    });

    it('treats a tryLater status as unavailable', async () => {
      const { store } = setUp({ responseStatus: OCSPResponseStatus.tryLater });
      expect((await errorOf(store.validate(leafCert(pki, 'ocsp-good-rsa')))).code).toBe(SignatureErrorCode.OCSP_UNAVAILABLE);
    });

    it('does not ask a responder that just failed again before retryMs', async () => {
      const clock = new MutableClock();
      const { store, client } = setUp({}, { loadCrls: crls.empty, clock, ocsp: { retryMs: 30_000 } });
      client.down = true;
      await store.validate(leafCert(pki, 'ocsp-good-rsa'));
      await store.validate(leafCert(pki, 'ocsp-good-rsa'));
      expect(client.calls).toHaveLength(1);
      client.down = false;
      clock.advance(31);
      const result = await store.validate(leafCert(pki, 'ocsp-good-rsa'));
      expect(result.revocation[0].source).toBe('ocsp');
      expect(client.calls).toHaveLength(2);
    });
  });

  describe('refuses an unusable response (no CRL to fall back to)', () => {
    it.each<[string, DevOcspBehaviour, SignatureErrorCode]>([
      ['signed by a certificate of the issuer without id-kp-OCSPSigning', { signer: 'unauthorized' }, SignatureErrorCode.OCSP_RESPONSE_INVALID],
      ['signed by a certificate of another CA', { signer: 'untrusted' }, SignatureErrorCode.OCSP_RESPONSE_INVALID],
      ['whose signature does not verify', { corruptSignature: true }, SignatureErrorCode.OCSP_RESPONSE_INVALID],
      ['about another serial number', { wrongSerial: true }, SignatureErrorCode.OCSP_RESPONSE_INVALID],
      ['echoing another nonce', { nonce: 'wrong' }, SignatureErrorCode.OCSP_RESPONSE_INVALID],
      ['that is not DER', { garbage: true }, SignatureErrorCode.OCSP_RESPONSE_INVALID],
      ['past its nextUpdate', { thisUpdateSeconds: -2 * 86400, nextUpdateSeconds: -86400 }, SignatureErrorCode.OCSP_RESPONSE_STALE],
      ['dated in the future', { thisUpdateSeconds: 3600, nextUpdateSeconds: 7200 }, SignatureErrorCode.OCSP_RESPONSE_STALE],
      ['without nextUpdate and older than maxCacheMs', { thisUpdateSeconds: -7200, nextUpdateSeconds: null }, SignatureErrorCode.OCSP_RESPONSE_STALE],
    ])('%s', async (_name, behaviour, code) => {
      const { store } = setUp(behaviour);
      const error = await errorOf(store.validate(leafCert(pki, 'ocsp-good-rsa')));
      expect(error).toMatchObject({ code, status: 503, retryable: true });
    });

    it('but uses the CRL instead when there is one', async () => {
      const { store } = setUp({ signer: 'unauthorized' }, { loadCrls: crls.listingRevoked });
      const result = await store.validate(leafCert(pki, 'ocsp-good-rsa'));
      expect(result.revocation[0]).toEqual(
        expect.objectContaining({ source: 'crl', ocspFailure: SignatureErrorCode.OCSP_RESPONSE_INVALID }),
      );
    });
  });

  it.each<[string, DevOcspBehaviour, Partial<TrustStoreOptions>]>([
    ['signed by the issuing CA itself (responder id by name)', { signer: 'issuer' }, {}],
    ['with a SHA-256 CertID', { sha256CertId: true }, {}],
    ['to a SHA-256 CertID request', {}, { ocsp: { certIdHash: 'sha256' } }],
    ['without the nonce echoed', { nonce: 'omit' }, {}],
    ['to a request without nonce', {}, { ocsp: { nonce: false } }],
    ['without nextUpdate, recent', { nextUpdateSeconds: null }, {}],
  ])('accepts a good response %s', async (_name, behaviour, options) => {
    const { store } = setUp(behaviour, options);
    expect((await store.validate(leafCert(pki, 'ocsp-good-rsa'))).revocation[0].source).toBe('ocsp');
  });

  describe('cache', () => {
    it('reuses a good answer (no second request) until maxCacheMs, then asks again', async () => {
      const clock = new MutableClock();
      const { store, client } = setUp({}, { clock, ocsp: { maxCacheMs: 60_000 } });
      await store.validate(leafCert(pki, 'ocsp-good-rsa'));
      const second = await store.validate(leafCert(pki, 'ocsp-good-rsa'));
      expect(second.revocation[0]).toMatchObject({ source: 'ocsp', cached: true });
      expect(client.calls).toHaveLength(1);
      clock.advance(61);
      await store.validate(leafCert(pki, 'ocsp-good-rsa'));
      expect(client.calls).toHaveLength(2);
    });

    it('never past the response nextUpdate', async () => {
      const clock = new MutableClock();
      const { store, client } = setUp({ nextUpdateSeconds: 120 }, { clock, ocsp: { maxCacheMs: 3600_000 } });
      await store.validate(leafCert(pki, 'ocsp-good-rsa'));
      clock.advance(60);
      await store.validate(leafCert(pki, 'ocsp-good-rsa'));
      expect(client.calls).toHaveLength(1);
      clock.advance(61);
      await store.validate(leafCert(pki, 'ocsp-good-rsa'));
      expect(client.calls).toHaveLength(2);
    });

    it('reuses a revoked answer too, and shares one request between concurrent validations', async () => {
      const { store, client } = setUp();
      const codes = await Promise.all([1, 2, 3].map(() => errorOf(store.validate(leafCert(pki, 'ocsp-revoked-rsa')))));
      expect(codes.map((c) => c.code)).toEqual(Array(3).fill(SignatureErrorCode.CERT_REVOKED));
      expect((await errorOf(store.validate(leafCert(pki, 'ocsp-revoked-rsa')))).code).toBe(SignatureErrorCode.CERT_REVOKED);
      expect(client.calls).toHaveLength(1);
    });

    it('does not keep unknown answers', async () => {
      const { store, client, responder } = setUp({ status: 'unknown' });
      expect((await errorOf(store.validate(leafCert(pki, 'ocsp-good-rsa')))).code).toBe(SignatureErrorCode.OCSP_UNKNOWN);
      responder.behaviour = {};
      await store.validate(leafCert(pki, 'ocsp-good-rsa'));
      expect(client.calls).toHaveLength(2);
    });
  });

  describe('with preferOcsp false', () => {
    it('uses the CRL when there is one and does not ask the responder', async () => {
      const { store, client } = setUp({}, { loadCrls: crls.empty, ocsp: { preferOcsp: false } });
      const result = await store.validate(leafCert(pki, 'ocsp-revoked-rsa'));
      expect(result.revocation[0].source).toBe('crl');
      expect(client.calls).toEqual([]);
    });

    it('asks the responder when there is no CRL', async () => {
      const { store, client } = setUp({}, { ocsp: { preferOcsp: false } });
      expect((await errorOf(store.validate(leafCert(pki, 'ocsp-revoked-rsa')))).code).toBe(SignatureErrorCode.CERT_REVOKED);
      expect(client.calls).toHaveLength(1);
    });
  });

  it('without an OcspClient, checks OCSP leaves by CRL only (CRL_UNAVAILABLE when there is none)', async () => {
    const store = trustStoreOf(pki, { loadCrls: crls.none });
    expect((await errorOf(store.validate(leafCert(pki, 'ocsp-good-rsa')))).code).toBe(SignatureErrorCode.CRL_UNAVAILABLE);
  });

  it('is wired by createSignatureServices from trust.ocsp, and off with enabled: false', async () => {
    const client = new DevOcspClient(new DevOcspResponder(pki));
    const trust = { caFiles: [pki.trustBundle], crlFiles: [pki.crls.root], fetchCrls: false };
    const on = createSignatureServices({ trust: { ...trust, ocsp: { maxCacheSeconds: 60 } }, ocspClient: client }).trustStore;
    expect((await errorOf(on.validate(leafCert(pki, 'ocsp-revoked-rsa')))).code).toBe(SignatureErrorCode.CERT_REVOKED);
    const off = createSignatureServices({ trust: { ...trust, ocsp: { enabled: false } }, ocspClient: client }).trustStore;
    expect((await errorOf(off.validate(leafCert(pki, 'ocsp-good-rsa')))).code).toBe(SignatureErrorCode.CRL_UNAVAILABLE);
    expect(client.calls).toHaveLength(1);
  });
});
