import { readFileSync } from 'node:fs';
import { DevPkiManifest, issueDevCrl } from '../../../../certs-dev/dev-pki';
import { SignatureErrorCode } from '../signature-error-code';
import { isRevocationUnavailable } from '../signature.exception';
import { crlUrl, leafCert, MutableClock, StubCrlFetcher, testPki, trustStoreOf } from '../testing/test-pki';
import { parseCertificates } from './pki-encoding';
import { TrustStore } from './trust-store';

let pki: DevPkiManifest;
beforeAll(async () => {
  pki = await testPki();
}, 60_000);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'ACCEPTED';
}

describe('TrustStore', () => {
  it('accepts RSA and EC leaves chaining to the dev root, with revocation checked', async () => {
    const store = trustStoreOf(pki);
    for (const name of ['gateway-rsa', 'gateway-ec', 'egov-portal-ec', 'population-registry-rsa']) {
      const result = await store.validate(leafCert(pki, name));
      expect(result.revocationChecked).toBe(true);
      expect(result.path).toHaveLength(3);
      expect(result.subject).toContain(name);
    }
  });

  it.each([
    ['untrusted-rsa', SignatureErrorCode.CERT_UNTRUSTED],
    ['expired-rsa', SignatureErrorCode.CERT_EXPIRED],
    ['not-yet-valid-rsa', SignatureErrorCode.CERT_NOT_YET_VALID],
    ['no-digital-signature-rsa', SignatureErrorCode.CERT_KEY_USAGE],
    ['revoked-rsa', SignatureErrorCode.CERT_REVOKED],
  ])('refuses %s with %s', async (name, code) => {
    expect(await codeOf(trustStoreOf(pki).validate(leafCert(pki, name)))).toBe(code);
  });

  it('refuses a self-signed certificate that is not an anchor', async () => {
    const untrustedRoot = parseCertificates(readFileSync(pki.untrustedCa.cert))[0];
    expect(await codeOf(trustStoreOf(pki).validate(untrustedRoot))).toBe(SignatureErrorCode.CERT_UNTRUSTED);
  });

  it('builds the path through an intermediate supplied by the sender when only the root is configured', async () => {
    const root = parseCertificates(readFileSync(pki.rootCa.cert));
    const intermediate = parseCertificates(readFileSync(pki.intermediateCa.cert));
    const store = trustStoreOf(pki, { caCertificates: root });
    expect(await codeOf(store.validate(leafCert(pki, 'gateway-rsa')))).toBe(SignatureErrorCode.CERT_UNTRUSTED);
    const result = await store.validate(leafCert(pki, 'gateway-rsa'), intermediate);
    expect(result.path).toHaveLength(3);
  });

  it('fails closed with CRL_UNAVAILABLE when no CRL is known for the issuer', async () => {
    const store = trustStoreOf(pki, { loadCrls: undefined });
    const error = await store.validate(leafCert(pki, 'gateway-rsa')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: SignatureErrorCode.CRL_UNAVAILABLE, retryable: true, status: 503 });
  });

  it('fails closed when the only CRL is past its nextUpdate', async () => {
    const clock = new MutableClock();
    const store = trustStoreOf(pki, { clock });
    clock.advance(31 * 24 * 3600);
    expect(await codeOf(store.validate(leafCert(pki, 'gateway-rsa')))).toBe(SignatureErrorCode.CRL_UNAVAILABLE);
  });

  it('tells "revocation cannot be checked right now" (an expired CRL) apart from a bad certificate: retryable, not a refusal', async () => {
    const clock = new MutableClock();
    const store = trustStoreOf(pki, { clock });
    const revoked = await store.validate(leafCert(pki, 'revoked-rsa')).catch((e: unknown) => e);
    expect(isRevocationUnavailable(revoked)).toBe(false);
    const untrusted = await store.validate(leafCert(pki, 'untrusted-rsa')).catch((e: unknown) => e);
    expect(isRevocationUnavailable(untrusted)).toBe(false);
    clock.advance(31 * 24 * 3600);
    const expired = await store.validate(leafCert(pki, 'gateway-rsa')).catch((e: unknown) => e);
    expect(expired).toMatchObject({ code: SignatureErrorCode.CRL_UNAVAILABLE, retryable: true });
    expect(isRevocationUnavailable(expired)).toBe(true);
  });

  it('accepts without CRLs in best-effort mode but still refuses a certificate a known CRL lists', async () => {
    const noCrls = trustStoreOf(pki, { loadCrls: undefined, revocation: 'best-effort' });
    expect((await noCrls.validate(leafCert(pki, 'gateway-rsa'))).revocationChecked).toBe(false);
    const withCrls = trustStoreOf(pki, { revocation: 'best-effort' });
    expect(await codeOf(withCrls.validate(leafCert(pki, 'revoked-rsa')))).toBe(SignatureErrorCode.CERT_REVOKED);
  });

  it('ignores a CRL that is not signed by the issuer', async () => {
    const fetcher = new StubCrlFetcher({
      [crlUrl('root-ca')]: readFileSync(pki.crls.root),
      // the root's CRL served where the intermediate's is expected: wrong issuer, so not usable
      [crlUrl('intermediate-ca')]: readFileSync(pki.crls.root),
    });
    const store = trustStoreOf(pki, { loadCrls: undefined, crlFetcher: fetcher });
    expect(await codeOf(store.validate(leafCert(pki, 'revoked-rsa')))).toBe(SignatureErrorCode.CRL_UNAVAILABLE);
    expect(store.warnings.join('\n')).toContain('not signed by a known CA');
  });

  describe('with CRLs fetched from distribution points', () => {
    it('fetches each distribution point once within the TTL and again after it', async () => {
      const clock = new MutableClock();
      const fetcher = new StubCrlFetcher({
        [crlUrl('root-ca')]: readFileSync(pki.crls.root),
        [crlUrl('intermediate-ca')]: readFileSync(pki.crls.intermediate),
      });
      const store = trustStoreOf(pki, { loadCrls: undefined, crlFetcher: fetcher, crlTtlMs: 60_000, clock });
      await store.validate(leafCert(pki, 'gateway-rsa'));
      await store.validate(leafCert(pki, 'gateway-ec'));
      expect(fetcher.calls.sort()).toEqual([crlUrl('intermediate-ca'), crlUrl('root-ca')]);
      clock.advance(61);
      await store.validate(leafCert(pki, 'gateway-rsa'));
      expect(fetcher.calls).toHaveLength(4);
    });

    it('refuses a certificate revoked after start-up once the CRL is refreshed on demand', async () => {
      const fetcher = new StubCrlFetcher({
        [crlUrl('root-ca')]: readFileSync(pki.crls.root),
        [crlUrl('intermediate-ca')]: readFileSync(pki.crls.intermediateEmpty),
      });
      const store = trustStoreOf(pki, { loadCrls: undefined, crlFetcher: fetcher });
      const revoked = leafCert(pki, 'revoked-rsa');
      await expect(store.validate(revoked)).resolves.toMatchObject({ revocationChecked: true });

      fetcher.crls[crlUrl('intermediate-ca')] = await issueDevCrl(pki, [revoked.serialNumber]);
      await expect(store.validate(revoked)).resolves.toBeDefined(); // still the cached CRL
      await store.refreshCrls();
      expect(await codeOf(store.validate(revoked))).toBe(SignatureErrorCode.CERT_REVOKED);
    });

    it('keeps the last good CRL while the distribution point is down, until its nextUpdate', async () => {
      const clock = new MutableClock();
      const fetcher = new StubCrlFetcher({
        [crlUrl('root-ca')]: readFileSync(pki.crls.root),
        [crlUrl('intermediate-ca')]: await issueDevCrl(pki, [], { nextUpdate: new Date(clock.ms + 3600_000) }),
      });
      const store = trustStoreOf(pki, { loadCrls: undefined, crlFetcher: fetcher, crlTtlMs: 60_000, clock });
      await store.validate(leafCert(pki, 'gateway-rsa'));
      delete fetcher.crls[crlUrl('intermediate-ca')];
      clock.advance(120);
      await expect(store.validate(leafCert(pki, 'gateway-rsa'))).resolves.toBeDefined();
      clock.advance(3600);
      expect(await codeOf(store.validate(leafCert(pki, 'gateway-rsa')))).toBe(SignatureErrorCode.CRL_UNAVAILABLE);
    });
  });

  it('needs at least one trust anchor', () => {
    expect(() => new TrustStore({ caCertificates: parseCertificates(readFileSync(pki.intermediateCa.cert)) })).toThrow(
      expect.objectContaining({ code: SignatureErrorCode.CERT_INVALID }),
    );
  });
});
