import * as path from 'node:path';
import { AccessRightsRepository, ClientRegistry } from '@korpu/access';
import type { PartnerConfig } from '@korpu/contracts';
import { loadInboundCatalogue } from '@korpu/inbound';
import { ServiceCatalogue } from '../service-catalogue';

export const CONTRACTS_DIR = path.join(__dirname, '../../../../contracts');

/** A REST and a SOAP partner as partner.json describes them (only what the metaservices read). */
export function partners(): PartnerConfig[] {
  const base = { endpoint: { url: 'http://127.0.0.1:1' }, signature: 'jws', signers: [], timeoutMs: 1, maxConcurrency: 1, ordering: 'none', retry: {} } as unknown as PartnerConfig;
  return [
    {
      ...base,
      id: 'tax-service',
      name: 'State Tax Service',
      protocol: 'rest',
      contractFile: path.join(CONTRACTS_DIR, 'tax-service/openapi.yaml'),
      xroadService: 'AZ/GOV/1400057421/tax-register',
      operations: { GetTaxpayer: { name: 'GetTaxpayer', method: 'POST', path: '/v1/taxpayers/lookup', request: { type: 'taxpayer-lookup-request', version: '1' }, reply: { type: 'taxpayer-lookup-reply', version: '1' } } },
    },
    {
      ...base,
      id: 'population-registry',
      name: 'State population registry',
      protocol: 'soap',
      contractFile: path.join(CONTRACTS_DIR, 'population-registry/population-registry.wsdl'),
      xroadService: 'AZ/GOV/1400000002/population-registry',
      operations: { GetPerson: { name: 'GetPerson', soapAction: 'x', request: { type: 'person-lookup-request', version: '1' }, reply: { type: 'person-lookup-reply', version: '1' } } },
    },
    { ...base, id: 'no-xroad', name: 'Without an X-Road id', protocol: 'rest', contractFile: '/nowhere', operations: {} },
  ];
}

export const partnerCatalogue = (): ServiceCatalogue => ServiceCatalogue.ofPartners(partners());
export const ministryCatalogue = (): ServiceCatalogue => ServiceCatalogue.ofMinistry(loadInboundCatalogue(path.join(CONTRACTS_DIR, 'ministry')), 'ministry');

export const registry = (): ClientRegistry =>
  ClientRegistry.parse(
    {
      clients: [
        { id: 'MLSP/pensions', name: 'Pensions', services: [] },
        { id: 'AZ/GOV/1400000001/egov-portal', name: 'e-Government portal', services: [] },
      ],
    },
    'clients.json',
    { pkiDir: '/nowhere' },
  );

/** Access tables in memory: client → status and live rights. */
export function rights(table: Record<string, { status: string; services: string[] }>): AccessRightsRepository {
  return {
    table: (clientId?: string) =>
      Promise.resolve(
        new Map(
          Object.entries(table)
            .filter(([id]) => clientId === undefined || id === clientId)
            .map(([id, { status, services }]) => [id, { status, services: new Set(services) }]),
        ),
      ),
    list: () =>
      Promise.resolve(
        Object.entries(table).flatMap(([clientId, { services }]) => services.map((service) => ({ clientId, service, grantedAt: '2026-01-01T00:00:00.000Z', grantedBy: 'configuration' }))),
      ),
  } as unknown as AccessRightsRepository;
}
