import * as path from 'node:path';
import { ClientRegistry } from '@korpu/access';
import { DevPkiManifest } from '../../../../certs-dev/dev-pki';
import { POPULATION_REGISTRY, PORTAL, admissionPki, certificateOf, repoRoot } from '../testing/admission-fixtures';
import { CallerIdentityService } from './caller-identity.service';

let pki: DevPkiManifest;
let pkiDir: string;
beforeAll(async () => {
  ({ pki, pkiDir } = await admissionPki());
});

const leaf = (name: string) => certificateOf(pki.leaves[name].cert);
const tls = (name: string) => ({ certificate: certificateOf(pki.tlsClients[name].cert) });
const registry = () => ClientRegistry.load(path.join(repoRoot, 'contracts/clients.json'), { pkiDir });
const service = (tlsClientCertificate: 'optional' | 'required' = 'optional', clients = registry()) => new CallerIdentityService(clients, { tlsClientCertificate });
const codeOf = (run: () => unknown): string => {
  try {
    run();
    return 'ADMITTED';
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('CallerIdentityService', () => {
  it('identifies the portal when its TLS certificate, its signer and the client it declares agree', () => {
    expect(service('required').identify({ tls: tls('egov-portal'), signer: leaf('egov-portal-rsa'), declared: PORTAL })).toBe(PORTAL);
    expect(service().identify({ signer: leaf('egov-portal-ec'), declared: PORTAL })).toBe(PORTAL);
  });

  it('refuses a caller whose TLS certificate belongs to one client and whose signature to another', () => {
    expect(codeOf(() => service().identify({ tls: tls('population-registry'), signer: leaf('egov-portal-rsa'), declared: PORTAL }))).toBe('INBOUND_CLIENT_MISMATCH');
  });

  it('refuses a message declaring another client than the one that signed it', () => {
    expect(codeOf(() => service().identify({ signer: leaf('egov-portal-rsa'), declared: POPULATION_REGISTRY }))).toBe('INBOUND_CLIENT_MISMATCH');
  });

  it('refuses a signer whose certificate is registered for TLS only, and a TLS certificate registered for signing only', () => {
    expect(codeOf(() => service().identify({ signer: certificateOf(pki.tlsClients['egov-portal'].cert), declared: PORTAL }))).toBe('INBOUND_CLIENT_UNAUTHENTICATED');
    expect(codeOf(() => service().identify({ tls: { certificate: leaf('egov-portal-ec') }, signer: leaf('egov-portal-rsa'), declared: PORTAL }))).toBe(
      'INBOUND_CLIENT_UNAUTHENTICATED',
    );
  });

  it('refuses a certificate with a registered subject issued by another CA (identity is issuer + subject, not the CN)', () => {
    const portal = { issuer: 'CN=Untrusted Dev CA,O=Somebody Else,C=ZZ', subject: 'CN=egov-portal-rsa,OU=Korpu Dev,O=Ministry (development),C=AZ' };
    const elsewhere = ClientRegistry.parse({ clients: [{ id: PORTAL, certificates: { signing: [portal] } }] }, 'test', { pkiDir });
    // The real portal certificate has that subject, but from the Korpu intermediate: not the registered one.
    expect(codeOf(() => service('optional', elsewhere).identify({ signer: leaf('egov-portal-rsa'), declared: PORTAL }))).toBe('INBOUND_CLIENT_UNAUTHENTICATED');
  });

  it('refuses a TLS certificate the TLS client CA does not trust, and no TLS certificate where one is required', () => {
    const untrusted = { certificate: certificateOf(pki.tlsClients.untrusted.cert), untrustedBecause: 'UNABLE_TO_GET_ISSUER_CERT' };
    expect(codeOf(() => service().identify({ tls: untrusted, signer: leaf('egov-portal-rsa'), declared: PORTAL }))).toBe('INBOUND_CLIENT_UNAUTHENTICATED');
    expect(codeOf(() => service('required').identify({ signer: leaf('egov-portal-rsa'), declared: PORTAL }))).toBe('INBOUND_CLIENT_UNAUTHENTICATED');
  });

  it('names both certificates and both clients when it refuses', () => {
    expect(() => service().identify({ tls: tls('population-registry'), signer: leaf('egov-portal-rsa'), declared: PORTAL })).toThrow(
      expect.objectContaining({ message: expect.stringContaining(POPULATION_REGISTRY), details: { tlsClient: POPULATION_REGISTRY, signerClient: PORTAL } }),
    );
    expect(() => service().identify({ signer: leaf('tax-service-rsa'), declared: PORTAL })).toThrow(expect.objectContaining({ message: expect.stringContaining('CN=tax-service-rsa') }));
  });
});
