import { ListMethodsUseCase } from '../list-methods/list-methods.usecase';
import { partnerCatalogue, rights } from '../testing/metaservice-fixtures';
import { AllowedMethodsCommand } from './allowed-methods.command';
import { AllowedMethodsUseCase } from './allowed-methods.usecase';

const TAX = { xRoadInstance: 'AZ', memberClass: 'GOV', memberCode: '1400057421', subsystemCode: 'tax-register' };

function allowed(table: Parameters<typeof rights>[0], clientId = 'MLSP/pensions') {
  return new AllowedMethodsUseCase(new ListMethodsUseCase(partnerCatalogue()), rights(table))
    .execute(AllowedMethodsCommand.create({ clientId, provider: TAX }))
    .then((listed) => listed.map((l) => l.id.serviceCode));
}

describe('AllowedMethodsUseCase', () => {
  it('lists what the caller holds a live right to', async () => {
    expect(await allowed({ 'MLSP/pensions': { status: 'active', services: ['tax-service/GetTaxpayer', 'population-registry/GetPerson'] } })).toEqual(['GetTaxpayer']);
  });

  it('lists nothing without a right, for a disabled client, or for an unknown one', async () => {
    expect(await allowed({ 'MLSP/pensions': { status: 'active', services: ['population-registry/GetPerson'] } })).toEqual([]);
    expect(await allowed({ 'MLSP/pensions': { status: 'disabled', services: ['tax-service/GetTaxpayer'] } })).toEqual([]);
    expect(await allowed({}, 'MLSP/nobody')).toEqual([]);
  });
});
