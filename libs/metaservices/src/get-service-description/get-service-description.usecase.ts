import { Inject, Injectable } from '@nestjs/common';
import { formatXRoadId } from '@korpu/xroad';
import { MetaserviceErrorCode, MetaserviceException } from '../metaservices.exception';
import { ServiceCatalogue, ServiceDescription } from '../service-catalogue';
import { GetServiceDescriptionCommand } from './get-service-description.command';

/**
 * X-Road's getWsdl and getOpenAPI: the WSDL or OpenAPI document that describes one service of a provider, from
 * contracts/. Like X-Road, any authenticated caller may read it (no access right needed).
 * @throws METASERVICE_PROVIDER_UNKNOWN, METASERVICE_SERVICE_UNKNOWN (no such service, or not described so)
 */
@Injectable()
export class GetServiceDescriptionUseCase {
  constructor(@Inject(ServiceCatalogue) private readonly catalogue: ServiceCatalogue) {}

  execute(command: GetServiceDescriptionCommand): ServiceDescription {
    const provider = this.catalogue.provider(command.provider);
    const service = provider.services.find((s) => s.serviceCode === command.serviceCode);
    const describe = command.kind === 'wsdl' ? service?.wsdl : service?.openApi;
    if (!describe) {
      throw new MetaserviceException(
        MetaserviceErrorCode.SERVICE_UNKNOWN,
        `${formatXRoadId(provider.id)} has no service ${command.serviceCode} described by ${command.kind === 'wsdl' ? 'a WSDL' : 'an OpenAPI document'}`,
        { provider: formatXRoadId(provider.id), serviceCode: command.serviceCode },
      );
    }
    return describe();
  }
}
