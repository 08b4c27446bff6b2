import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DevPkiManifest, ensureDevPki } from '../../../certs-dev/dev-pki';
import { ClientRegistry } from './client-registry';

const clientsFile = path.resolve(__dirname, '../../../contracts/clients.json');
let pki: DevPkiManifest;
let pkiDir: string;

beforeAll(async () => {
  pkiDir = path.join(os.tmpdir(), `korpu-access-test-pki-${process.env.JEST_WORKER_ID ?? '0'}`);
  pki = await ensureDevPki(pkiDir);
});

const tlsCert = (name: string) => new X509Certificate(fs.readFileSync(pki.tlsClients[name].cert));
const leaf = (name: string) => new X509Certificate(fs.readFileSync(pki.leaves[name].cert));

describe('ClientRegistry', () => {
  it('identifies each subsystem by its own TLS client certificate', () => {
    const registry = ClientRegistry.load(clientsFile, { pkiDir });
    expect(registry.identify(tlsCert('pensions'), 'tls')).toBe('MLSP/pensions');
    expect(registry.identify(tlsCert('benefits'), 'tls')).toBe('MLSP/benefits');
    expect(registry.identify(tlsCert('disability'), 'tls')).toBe('MLSP/disability');
  });

  it('identifies nobody by a certificate registered for another use, another party, or another CA', () => {
    const registry = ClientRegistry.load(clientsFile, { pkiDir });
    expect(registry.identify(tlsCert('pensions'), 'signing')).toBeUndefined();
    expect(registry.identify(tlsCert('gateway'), 'tls')).toBeUndefined();
    expect(registry.identify(tlsCert('untrusted'), 'tls')).toBeUndefined();
    expect(registry.identify(leaf('egov-portal-rsa'), 'signing')).toBe('AZ/GOV/1400000001/egov-portal');
    expect(registry.identify(leaf('egov-portal-rsa'), 'tls')).toBeUndefined();
  });

  it('identifies nobody when two clients register the same certificate', () => {
    const registry = ClientRegistry.parse(
      {
        clients: [
          { id: 'MLSP/a', certificates: { tls: [{ file: 'pki:tls/pensions.crt' }] } },
          { id: 'MLSP/b', certificates: { tls: [{ file: 'pki:tls/pensions.crt' }] } },
        ],
      },
      'clients.json',
      { pkiDir },
    );
    expect(registry.identify(tlsCert('pensions'), 'tls')).toBeUndefined();
  });

  it('names every problem of the file with its place', () => {
    let error: unknown;
    try {
      ClientRegistry.parse(
        {
          clients: [
            { id: 'not an id', services: [] },
            { id: 'MLSP/x', services: 'tax-service/GetTaxpayer', certificates: { tls: [{ file: 'pki:tls/missing.crt' }], mtls: [] } },
            { id: 'MLSP/x' },
          ],
        },
        'clients.json',
        { pkiDir },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'CLIENTS_FILE_INVALID' });
    expect((error as { details: { problems: string[] } }).details.problems).toEqual([
      'clients[0].id: must be a client id like MLSP/pensions or AZ/GOV/1400000001/egov-portal',
      'clients[1].services: must be an array of "partner/Operation" names',
      'clients[1].certificates.mtls: unknown use (tls or signing)',
      'clients[1].certificates.tls[0].file: file not found (pki:tls/missing.crt)',
      'clients[2].id: "MLSP/x" is registered twice',
    ]);
  });
});
