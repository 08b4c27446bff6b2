import { generateKeyPairSync } from 'node:crypto';
import { DevPkiManifest } from '../../../../certs-dev/dev-pki';
import { JwsSigner } from '../jws/jws-signer';
import { JwsVerifier } from '../jws/jws-verifier';
import { SignatureErrorCode as Code } from '../signature-error-code';
import { SoapSigner } from '../soap/soap-signer';
import { SoapVerifier } from '../soap/soap-verifier';
import { xroadEnvelope } from '../testing/soap-fixtures';
import { leafMaterial, testPki, trustStoreOf } from '../testing/test-pki';
import { certificateKid } from '../trust/pki-encoding';
import { KeyMaterialRepository } from './key-material.repository';
import { KeyRing } from './key-ring';

let pki: DevPkiManifest;
beforeAll(async () => {
  pki = await testPki();
}, 60_000);

const binding = { method: 'POST', path: '/v1/x', messageId: 'm-1' };

describe('KeyRing', () => {
  it('loads PEM keys with their chain and names them by certificate thumbprint unless a kid is configured', () => {
    const ring = new KeyRing([leafMaterial(pki, 'gateway-rsa'), leafMaterial(pki, 'gateway-ec', 'gw-ec-2026')]);
    const [rsa, ec] = ring.list();
    expect(rsa.kid).toBe(certificateKid(rsa.certificate));
    expect(rsa.chain).toHaveLength(1);
    expect(ec).toMatchObject({ kid: 'gw-ec-2026', type: 'ec' });
    expect(ring.defaultKeyId).toBe(rsa.kid);
    expect(ring.resolve('gw-ec-2026')).toBe(ec);
  });

  it('unpacks a PKCS#12 bundle into the same key and certificate as the PEM files', () => {
    const fromP12 = new KeyMaterialRepository().loadSigningKey({ pkcs12File: pki.pkcs12.file, password: pki.pkcs12.password });
    const fromPem = leafMaterial(pki, 'gateway-rsa');
    expect(fromP12.certificate.fingerprint256).toBe(fromPem.certificate.fingerprint256);
    expect(fromP12.chain?.map((c) => c.subject)).toEqual([expect.stringContaining('Intermediate')]);
    expect(new KeyRing([fromP12]).resolve().type).toBe('rsa');
  });

  it('refuses a PKCS#12 with a wrong password, a key that does not match its certificate, and unknown kids', () => {
    expect(() => new KeyMaterialRepository().loadSigningKey({ pkcs12File: pki.pkcs12.file, password: 'wrong' })).toThrow(
      expect.objectContaining({ code: Code.KEY_INVALID }),
    );
    const mismatched = { ...leafMaterial(pki, 'gateway-rsa'), privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey };
    expect(() => new KeyRing([mismatched])).toThrow(expect.objectContaining({ code: Code.KEY_INVALID }));
    expect(() => new KeyRing().resolve()).toThrow(expect.objectContaining({ code: Code.KEY_NOT_FOUND }));
    expect(() => new KeyRing([leafMaterial(pki, 'gateway-rsa')]).get('nope')).toThrow(expect.objectContaining({ code: Code.KEY_NOT_FOUND }));
  });

  it('rotates without downtime: new signatures use the new default, old signatures keep verifying', async () => {
    const ring = new KeyRing([leafMaterial(pki, 'gateway-rsa', 'old')]);
    const soap = new SoapSigner(ring);
    const jws = new JwsSigner(ring);
    const oldSoap = soap.sign(xroadEnvelope());
    const oldJws = jws.sign('{}', binding);

    ring.add(leafMaterial(pki, 'gateway-ec', 'new'));
    expect(ring.defaultKeyId).toBe('old');
    ring.setDefault('new');
    const newSoap = soap.sign(xroadEnvelope());
    const newJws = jws.sign('{}', binding);
    expect(newSoap).toContain('ecdsa-sha256');
    expect(JSON.parse(Buffer.from(newJws.split('.')[0], 'base64url').toString())).toMatchObject({ kid: 'new', alg: 'ES256' });

    expect(() => ring.remove('new')).toThrow(expect.objectContaining({ code: Code.KEY_INVALID }));
    ring.remove('old');
    expect(ring.list().map((k) => k.kid)).toEqual(['new']);

    const soapVerifier = new SoapVerifier(trustStoreOf(pki));
    const jwsVerifier = new JwsVerifier(trustStoreOf(pki));
    for (const m of [oldSoap, newSoap]) await expect(soapVerifier.verify(m)).resolves.toBeDefined();
    for (const j of [oldJws, newJws]) await expect(jwsVerifier.verify(j, '{}', binding)).resolves.toBeDefined();
  });

  it('refuses keys it cannot sign XML-DSig/JWS with (RSA-1024, P-384)', () => {
    const base = leafMaterial(pki, 'gateway-rsa');
    for (const key of [
      generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey,
      generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey,
    ]) {
      expect(() => new KeyRing([{ ...base, privateKey: key }])).toThrow(expect.objectContaining({ code: Code.KEY_INVALID }));
    }
  });
});
