import { Test } from '@nestjs/testing';
import { DevPkiManifest } from '../../../certs-dev/dev-pki';
import { createSignatureServices } from './signature.factory';
import { SignatureModule } from './signature.module';
import { SignatureModuleOptions } from './signature.options';
import { JwsSigner } from './jws/jws-signer';
import { JwsVerifier } from './jws/jws-verifier';
import { KeyRing } from './keys/key-ring';
import { SoapSigner } from './soap/soap-signer';
import { SoapVerifier } from './soap/soap-verifier';
import { xroadEnvelope } from './testing/soap-fixtures';
import { StubCrlFetcher, testPki } from './testing/test-pki';
import { TrustStore } from './trust/trust-store';

let pki: DevPkiManifest;
let options: SignatureModuleOptions;
beforeAll(async () => {
  pki = await testPki();
  options = {
    trust: { caFiles: [pki.trustBundle], crlFiles: [pki.crls.root, pki.crls.intermediate] },
    keys: [
      { pkcs12File: pki.pkcs12.file, password: pki.pkcs12.password, kid: 'gw-rsa' },
      { certFile: pki.leaves['gateway-ec'].cert, keyFile: pki.leaves['gateway-ec'].key, chainFile: pki.intermediateCa.cert, kid: 'gw-ec' },
    ],
    defaultKid: 'gw-ec',
    crlFetcher: new StubCrlFetcher(), // distribution points unreachable: the configured files suffice
  };
}, 60_000);

describe('SignatureModule', () => {
  it('provides every service from a config of file paths', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [SignatureModule.forRoot(options)] }).compile();
    expect(moduleRef.get(KeyRing).defaultKeyId).toBe('gw-ec');
    const signed = moduleRef.get(SoapSigner).sign(xroadEnvelope());
    await expect(moduleRef.get(SoapVerifier).verify(signed)).resolves.toMatchObject({ signer: { subject: expect.stringContaining('gateway-ec') } });
    const binding = { method: 'GET', path: '/v1/ping', messageId: 'm-1' };
    const jws = moduleRef.get(JwsSigner).sign('', binding, { kid: 'gw-rsa' });
    await expect(moduleRef.get(JwsVerifier).verify(jws, '', binding)).resolves.toMatchObject({ alg: 'RS256' });
    expect(moduleRef.get(TrustStore).trustAnchors).toHaveLength(1);
  });

  it('builds the same services asynchronously from a factory', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [SignatureModule.forRootAsync({ useFactory: async () => options })],
    }).compile();
    expect(moduleRef.get(KeyRing).list()).toHaveLength(2);
  });

  it('works without Nest for simulators', async () => {
    const services = createSignatureServices({ ...options, defaultKid: undefined, keys: [{ certFile: pki.leaves['egov-portal-ec'].chain, keyFile: pki.leaves['egov-portal-ec'].key }] });
    const signed = services.soapSigner.sign(xroadEnvelope());
    await expect(services.soapVerifier.verify(signed)).resolves.toBeDefined();
  });
});
