import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PartnerDirectory } from '@korpu/contracts';
import { ensureDevPki } from '../../../../certs-dev/dev-pki';
import { CONTRACTS_DIR, partnerCatalogue, partners, registry, rights } from '../testing/metaservice-fixtures';
import { ExportInventoryUseCase } from './export-inventory.usecase';
import { inventoryCsv } from './inventory';

describe('ExportInventoryUseCase', () => {
  it('lists certificates with issuer, serial and days to expiry, clients, services with contracts and schema versions, and grants', async () => {
    const pki = await ensureDevPki(path.join(os.tmpdir(), `korpu-metaservices-test-pki-${process.env.JEST_WORKER_ID ?? '0'}`));
    const [root, intermediate] = [new X509Certificate(fs.readFileSync(pki.rootCa.cert)), new X509Certificate(fs.readFileSync(pki.intermediateCa.cert))];
    const dir = path.dirname(pki.trustBundle);
    {
      const bundle = pki.trustBundle;
      const empty = path.join(CONTRACTS_DIR, 'clients.json');
      const useCase = new ExportInventoryUseCase(
        registry(),
        rights({ 'MLSP/pensions': { status: 'active', services: ['tax-service/GetTaxpayer'] } }),
        partnerCatalogue(),
        new PartnerDirectory(partners()),
        { certificateFiles: [{ source: 'trust-store', file: bundle }, { source: 'key-ring', file: empty }, { source: 'tls-server', file: path.join(dir, 'missing.crt') }], baseDirs: [dir] },
      );
      const now = new Date(root.validFrom);
      const inventory = await useCase.execute(now);
      expect(inventory.certificates).toEqual([
        expect.objectContaining({ source: 'trust-store', file: path.basename(bundle), serial: root.serialNumber, issuer: expect.stringContaining('CN='), daysUntilExpiry: expect.any(Number) }),
        expect.objectContaining({ source: 'trust-store', file: path.basename(bundle), serial: intermediate.serialNumber }),
        expect.objectContaining({ source: 'key-ring', problem: 'holds no PEM certificate' }),
        expect.objectContaining({ source: 'tls-server', problem: 'file not found' }),
      ]);
      expect(inventory.certificates[0].daysUntilExpiry).toBe(Math.floor((new Date(root.validTo).getTime() - now.getTime()) / 86_400_000));
      expect(inventory.clients).toEqual([
        { id: 'MLSP/pensions', name: 'Pensions', status: 'active', authentication: [] },
        { id: 'AZ/GOV/1400000001/egov-portal', name: 'e-Government portal', status: null, authentication: [] },
      ]);
      expect(inventory.services).toEqual(
        expect.arrayContaining([
          { service: 'population-registry/GetPerson', provider: 'AZ/GOV/1400000002/population-registry', providerName: 'State population registry', protocols: ['soap'], contract: expect.stringContaining('population-registry.wsdl'), request: 'person-lookup-request v1', reply: 'person-lookup-reply v1' },
        ]),
      );
      expect(inventory.grants).toEqual([{ client: 'MLSP/pensions', service: 'tax-service/GetTaxpayer', grantedBy: 'configuration', grantedAt: '2026-01-01T00:00:00.000Z', revokedBy: null, revokedAt: null }]);

      const csv = inventoryCsv(inventory, 'certificates').split('\r\n');
      expect(csv[0]).toBe('source,file,subject,issuer,serial,notBefore,notAfter,daysUntilExpiry,registration,problem');
      expect(csv).toHaveLength(inventory.certificates.length + 2);
    }
  });

  it('writes CSV cells a spreadsheet cannot take for formulas, quoting what needs it', () => {
    const csv = inventoryCsv(
      { generatedAt: '', clients: [{ id: '=cmd()', name: 'a, "b"', status: null, authentication: ['tls: x', 'signing: y'] }], services: [], certificates: [], grants: [] },
      'clients',
    );
    expect(csv).toBe('id,name,status,authentication\r\n\'=cmd(),"a, ""b""",,tls: x; signing: y\r\n');
  });
});
