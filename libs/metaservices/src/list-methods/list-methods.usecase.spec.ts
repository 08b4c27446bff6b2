import { ListClientsUseCase } from '../list-clients/list-clients.usecase';
import { MetaserviceErrorCode } from '../metaservices.exception';
import { ministryCatalogue, partnerCatalogue, registry } from '../testing/metaservice-fixtures';
import { ListMethodsCommand } from './list-methods.command';
import { ListMethodsUseCase } from './list-methods.usecase';

const TAX = { xRoadInstance: 'AZ', memberClass: 'GOV', memberCode: '1400057421', subsystemCode: 'tax-register' };

describe('ListMethodsUseCase', () => {
  it('lists every service of a partner with its X-Road service id', () => {
    const listed = new ListMethodsUseCase(partnerCatalogue()).execute(ListMethodsCommand.create({ provider: TAX }));
    expect(listed.map((l) => l.id)).toEqual([{ ...TAX, serviceCode: 'GetTaxpayer' }]);
    expect(listed[0].service).toMatchObject({ accessId: 'tax-service/GetTaxpayer', rest: { method: 'POST', path: '/v1/taxpayers/lookup' } });
  });

  it('lists only the services served over the protocol asked through', () => {
    const useCase = new ListMethodsUseCase(partnerCatalogue());
    expect(useCase.execute(ListMethodsCommand.create({ provider: TAX, protocol: 'soap' }))).toEqual([]);
    expect(useCase.execute(ListMethodsCommand.create({ provider: TAX, protocol: 'rest' }))).toHaveLength(1);
  });

  it('lists a ministry subsystem\'s services (services.json) over SOAP and REST', () => {
    const pensions = { xRoadInstance: 'AZ', memberClass: 'GOV', memberCode: '1400000003', subsystemCode: 'pensions' };
    const listed = new ListMethodsUseCase(ministryCatalogue()).execute(ListMethodsCommand.create({ provider: pensions, protocol: 'soap' }));
    expect(listed.map((l) => [l.id.serviceCode, l.service.accessId])).toEqual([['GetPensionEntitlement', 'ministry/GetPensionEntitlement']]);
  });

  it('refuses a provider that offers nothing here', () => {
    expect(() => new ListMethodsUseCase(partnerCatalogue()).execute(ListMethodsCommand.create({ provider: { ...TAX, subsystemCode: 'other' } }))).toThrow(
      expect.objectContaining({ code: MetaserviceErrorCode.PROVIDER_UNKNOWN, status: 404 }),
    );
  });
});

describe('ListClientsUseCase', () => {
  it('lists the registered clients and the providers once each, by X-Road id', () => {
    const clients = new ListClientsUseCase(registry(), partnerCatalogue()).execute();
    expect(clients.map((c) => [c.id.subsystemCode, c.name])).toEqual([
      ['egov-portal', 'e-Government portal'],
      ['population-registry', 'State population registry'],
      ['pensions', 'Pensions'],
      ['tax-register', 'State Tax Service'],
    ]);
    expect(clients.find((c) => c.id.subsystemCode === 'pensions')?.id).toEqual({ xRoadInstance: 'AZ', memberClass: 'GOV', memberCode: '1400000003', subsystemCode: 'pensions' });
  });
});
