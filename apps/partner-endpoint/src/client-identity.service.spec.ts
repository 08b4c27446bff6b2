import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClientRegistry } from '@korpu/access';
import { DevPkiManifest, ensureDevPki } from '../../../certs-dev/dev-pki';
import { ClientIdentityService } from './client-identity.service';
import type { PartnerEndpointConfig, TlsMode } from './partner-endpoint.config';

const clientsFile = path.resolve(__dirname, '../../../contracts/clients.json');
let pki: DevPkiManifest;

beforeAll(async () => {
  pki = await ensureDevPki(path.join(os.tmpdir(), `korpu-partner-endpoint-test-pki-${process.env.JEST_WORKER_ID ?? '0'}`));
});

const cert = (name: string) => new X509Certificate(fs.readFileSync(pki.leaves[name].cert));
const tlsCert = (name: string) => new X509Certificate(fs.readFileSync(pki.tlsClients[name].cert));
const service = (mode: TlsMode = 'off') =>
  new ClientIdentityService({ clientsFile, tls: { mode } } as PartnerEndpointConfig, ClientRegistry.load(clientsFile, { pkiDir: path.dirname(pki.trustBundle) + '/..' }));
const PORTAL = 'AZ/GOV/1400000001/egov-portal';

describe('ClientIdentityService', () => {
  it('identifies the client registered for the signer certificate', () => {
    expect(service().identify({ signer: cert('egov-portal-ec'), claimed: PORTAL })).toBe(PORTAL);
  });

  it('refuses a message that names another client than its signer', () => {
    expect(() => service().identify({ signer: cert('egov-portal-rsa'), claimed: 'AZ/GOV/1400000002/population-registry' })).toThrow(
      expect.objectContaining({ code: 'INBOUND_CLIENT_MISMATCH' }),
    );
  });

  it('refuses a signer no client is registered with', () => {
    expect(() => service().identify({ signer: cert('tax-service-rsa') })).toThrow(expect.objectContaining({ code: 'INBOUND_CLIENT_UNAUTHENTICATED' }));
  });

  it('takes the TLS client certificate\'s client, and the signer must be the same client', () => {
    expect(service('required').identify({ tlsCertificate: tlsCert('egov-portal'), signer: cert('egov-portal-rsa') })).toBe(PORTAL);
    expect(() => service('required').identify({ tlsCertificate: tlsCert('population-registry'), signer: cert('egov-portal-rsa') })).toThrow(
      expect.objectContaining({ code: 'INBOUND_CLIENT_MISMATCH' }),
    );
  });

  it('does not take a signing certificate as a TLS identity, nor a TLS certificate as a signer', () => {
    expect(() => service('required').identify({ tlsCertificate: cert('egov-portal-rsa'), signer: cert('egov-portal-rsa') })).toThrow(
      expect.objectContaining({ code: 'INBOUND_CLIENT_UNAUTHENTICATED' }),
    );
    expect(() => service().identify({ signer: tlsCert('egov-portal') })).toThrow(expect.objectContaining({ code: 'INBOUND_CLIENT_UNAUTHENTICATED' }));
  });

  it('refuses a caller without a TLS client certificate where mutual TLS is required', () => {
    expect(() => service('required').identify({ signer: cert('egov-portal-rsa') })).toThrow(expect.objectContaining({ code: 'INBOUND_CLIENT_UNAUTHENTICATED' }));
  });
});
