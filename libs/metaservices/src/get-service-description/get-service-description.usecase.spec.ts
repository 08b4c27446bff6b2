import { MetaserviceErrorCode } from '../metaservices.exception';
import { ministryCatalogue, partnerCatalogue } from '../testing/metaservice-fixtures';
import { GetServiceDescriptionCommand } from './get-service-description.command';
import { GetServiceDescriptionUseCase } from './get-service-description.usecase';

const TAX = { xRoadInstance: 'AZ', memberClass: 'GOV', memberCode: '1400057421', subsystemCode: 'tax-register' };
const REGISTRY = { xRoadInstance: 'AZ', memberClass: 'GOV', memberCode: '1400000002', subsystemCode: 'population-registry' };

describe('GetServiceDescriptionUseCase', () => {
  const useCase = new GetServiceDescriptionUseCase(partnerCatalogue());

  it('serves a REST partner\'s OpenAPI document and a SOAP partner\'s WSDL from contracts/', () => {
    expect(useCase.execute(GetServiceDescriptionCommand.create({ provider: TAX, serviceCode: 'GetTaxpayer', kind: 'openapi' }))).toMatchObject({
      contentType: 'application/yaml',
      document: expect.stringContaining('openapi: 3.1.0'),
    });
    expect(useCase.execute(GetServiceDescriptionCommand.create({ provider: REGISTRY, serviceCode: 'GetPerson', kind: 'wsdl' })).document).toContain('<wsdl:operation name="GetPerson">');
  });

  it('refuses a service not described the way asked, an unknown service, and a request without a service code', () => {
    expect(() => useCase.execute(GetServiceDescriptionCommand.create({ provider: TAX, serviceCode: 'GetTaxpayer', kind: 'wsdl' }))).toThrow(expect.objectContaining({ code: MetaserviceErrorCode.SERVICE_UNKNOWN }));
    expect(() => useCase.execute(GetServiceDescriptionCommand.create({ provider: TAX, serviceCode: 'Nope', kind: 'openapi' }))).toThrow(expect.objectContaining({ code: MetaserviceErrorCode.SERVICE_UNKNOWN }));
    expect(() => GetServiceDescriptionCommand.create({ provider: TAX, serviceCode: ' ', kind: 'openapi' })).toThrow(expect.objectContaining({ code: MetaserviceErrorCode.REQUEST_INVALID, status: 400 }));
  });

  it('describes a ministry subsystem\'s REST equivalents in an OpenAPI document made from services.json', () => {
    const pensions = { xRoadInstance: 'AZ', memberClass: 'GOV', memberCode: '1400000003', subsystemCode: 'pensions' };
    const document = JSON.parse(new GetServiceDescriptionUseCase(ministryCatalogue()).execute(GetServiceDescriptionCommand.create({ provider: pensions, serviceCode: 'GetPensionEntitlement', kind: 'openapi' })).document);
    expect(Object.keys(document.paths)).toEqual(['/rest/v1/GetPensionEntitlement']);
    expect(document.paths['/rest/v1/GetPensionEntitlement'].post.requestBody.content['application/xml'].schema.description).toBe('pension-entitlement-request v2 (schemas/pension-entitlement-request/v2.xsd)');
  });
});
