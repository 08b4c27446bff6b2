import { AllowedMethodsUseCase } from '../allowed-methods/allowed-methods.usecase';
import { GetServiceDescriptionUseCase } from '../get-service-description/get-service-description.usecase';
import { ListClientsUseCase } from '../list-clients/list-clients.usecase';
import { ListMethodsUseCase } from '../list-methods/list-methods.usecase';
import { MetaserviceErrorCode } from '../metaservices.exception';
import { ministryCatalogue, registry, rights } from '../testing/metaservice-fixtures';
import { PartnerMetaservices } from './partner-metaservices';
import { parseMetaserviceTarget, RestMetaservices } from './rest-metaservices';

const PENSIONS = { xRoadInstance: 'AZ', memberClass: 'GOV', memberCode: '1400000003', subsystemCode: 'pensions' };
const PORTAL = 'AZ/GOV/1400000001/egov-portal';

function metaservices(table: Parameters<typeof rights>[0]) {
  const catalogue = ministryCatalogue();
  const methods = new ListMethodsUseCase(catalogue);
  const args = [new ListClientsUseCase(registry(), catalogue), methods, new AllowedMethodsUseCase(methods, rights(table)), new GetServiceDescriptionUseCase(catalogue)] as const;
  return new PartnerMetaservices(...args, new RestMetaservices(...args));
}

describe('parseMetaserviceTarget', () => {
  it('reads X-Road\'s REST metaservice paths', () => {
    expect(parseMetaserviceTarget('/r1/listClients')).toEqual({ metaservice: 'listClients' });
    expect(parseMetaserviceTarget('/r1/AZ/GOV/1400000003/pensions/getOpenAPI?serviceCode=GetPensionEntitlement')).toEqual({
      metaservice: 'getOpenAPI',
      provider: PENSIONS,
      serviceCode: 'GetPensionEntitlement',
    });
  });

  it.each([['/r1/AZ/GOV/1400000003/pensions/deleteEverything'], ['/r2/listClients'], ['/r1/AZ/GOV/pensions/listMethods'], ['/r1/AZ/GOV/1400000003/pensions/listClients']])(
    'refuses %s',
    (target) => {
      expect(() => parseMetaserviceTarget(target)).toThrow(expect.objectContaining({ code: MetaserviceErrorCode.REQUEST_INVALID }));
    },
  );
});

describe('PartnerMetaservices', () => {
  const granted = { [PORTAL]: { status: 'active', services: ['ministry/GetDisabilityStatus'] } };

  it('takes the SOAP metaservice codes, and no service code of the ministry', () => {
    const answer = metaservices(granted);
    expect(['listClients', 'listMethods', 'allowedMethods', 'getWsdl'].every((code) => answer.isMetaservice(code))).toBe(true);
    expect(answer.isMetaservice('GetPensionEntitlement')).toBe(false);
  });

  it('answers allowedMethods over SOAP in X-Road\'s shape, from the access rights', async () => {
    const disability = { ...PENSIONS, subsystemCode: 'disability' };
    const answer = await metaservices(granted).answerSoap({ clientId: PORTAL, service: { ...disability, serviceCode: 'allowedMethods' }, payload: '<xrd:allowedMethods xmlns:xrd="http://x-road.eu/xsd/xroad.xsd"/>' });
    expect(answer.payload).toBe(
      '<xrd:allowedMethodsResponse xmlns:xrd="http://x-road.eu/xsd/xroad.xsd" xmlns:id="http://x-road.eu/xsd/identifiers">' +
        '<xrd:service id:objectType="SERVICE"><id:xRoadInstance>AZ</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>1400000003</id:memberCode>' +
        '<id:subsystemCode>disability</id:subsystemCode><id:serviceCode>GetDisabilityStatus</id:serviceCode></xrd:service></xrd:allowedMethodsResponse>',
    );
    const none = await metaservices(granted).answerSoap({ clientId: PORTAL, service: { ...PENSIONS, serviceCode: 'allowedMethods' }, payload: '<x/>' });
    expect(none.payload).not.toContain('<xrd:service');
  });

  it('answers getWsdl with getWsdlResponse and the WSDL as attachment', async () => {
    const answer = await metaservices(granted).answerSoap({
      clientId: PORTAL,
      service: { ...PENSIONS, serviceCode: 'getWsdl' },
      payload: '<xrd:getWsdl xmlns:xrd="http://x-road.eu/xsd/xroad.xsd"><xrd:serviceCode>GetPensionEntitlement</xrd:serviceCode></xrd:getWsdl>',
    });
    expect(answer.payload).toContain('<xrd:serviceCode>GetPensionEntitlement</xrd:serviceCode>');
    expect(answer.attachment).toMatchObject({ contentType: 'text/xml; charset=utf-8', body: expect.stringContaining('wsdl:definitions') });
  });

  it('answers the REST metaservices in PR-MREST JSON, listing REST services only', async () => {
    const answer = await metaservices(granted).answerRest({ clientId: PORTAL, target: '/r1/AZ/GOV/1400000003/disability/allowedMethods' });
    expect(answer.contentType).toBe('application/json');
    expect(JSON.parse(answer.body)).toEqual({
      service: [
        {
          object_type: 'SERVICE',
          xroad_instance: 'AZ',
          member_class: 'GOV',
          member_code: '1400000003',
          subsystem_code: 'disability',
          service_code: 'GetDisabilityStatus',
          service_type: 'OPENAPI',
          endpoint_list: [{ method: 'POST', path: '/rest/v1/GetDisabilityStatus' }],
        },
      ],
    });
    const clients = JSON.parse((await metaservices(granted).answerRest({ clientId: PORTAL, target: '/r1/listClients' })).body);
    expect(clients.member[0]).toEqual({ id: { object_type: 'SUBSYSTEM', xroad_instance: 'AZ', member_class: 'GOV', member_code: '1400000001', subsystem_code: 'egov-portal' }, name: 'e-Government portal' });
  });
});
