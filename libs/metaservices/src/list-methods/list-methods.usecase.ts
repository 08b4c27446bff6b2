import { Inject, Injectable } from '@nestjs/common';
import type { XRoadServiceId } from '@korpu/xroad';
import { PublishedService, ServiceCatalogue } from '../service-catalogue';
import { ListMethodsCommand } from './list-methods.command';

/** One service in a listMethods / allowedMethods answer. */
export interface ListedService {
  id: XRoadServiceId;
  service: PublishedService;
}

/** X-Road's listMethods: every service the provider offers over the protocol asked through. @throws METASERVICE_PROVIDER_UNKNOWN */
@Injectable()
export class ListMethodsUseCase {
  constructor(@Inject(ServiceCatalogue) private readonly catalogue: ServiceCatalogue) {}

  execute(command: ListMethodsCommand): ListedService[] {
    const provider = this.catalogue.provider(command.provider);
    return provider.services
      .filter((service) => command.protocol === undefined || service.protocols.includes(command.protocol))
      .map((service) => ({ id: { ...provider.id, serviceCode: service.serviceCode }, service }));
  }
}
