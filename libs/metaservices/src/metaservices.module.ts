import { DynamicModule, Module } from '@nestjs/common';
import { PartnerDirectory } from '@korpu/contracts';
import { loadInboundCatalogue, MINISTRY_SERVICE } from '@korpu/inbound';
import { AllowedMethodsUseCase } from './allowed-methods/allowed-methods.usecase';
import { ExportInventoryUseCase, INVENTORY_OPTIONS, InventoryOptions } from './export-inventory/export-inventory.usecase';
import { GetServiceDescriptionUseCase } from './get-service-description/get-service-description.usecase';
import { PartnerMetaservices } from './http/partner-metaservices';
import { RestMetaservices } from './http/rest-metaservices';
import { ListClientsUseCase } from './list-clients/list-clients.usecase';
import { ListMethodsUseCase } from './list-methods/list-methods.usecase';
import { ServiceCatalogue } from './service-catalogue';

/**
 * Where the services described come from: the onboarded partners (the internal API; needs ContractsModule) or
 * the ministry's published services (the partner endpoint: contracts/ministry).
 */
export type MetaservicesOptions = ({ services: 'partners' } | { services: 'ministry'; ministryDir: string }) & {
  /** What the inventory export lists beyond the registrations (ExportInventoryUseCase). */
  inventory?: InventoryOptions;
};

const USE_CASES = [ListClientsUseCase, ListMethodsUseCase, AllowedMethodsUseCase, GetServiceDescriptionUseCase, ExportInventoryUseCase];

/**
 * X-Road's metaservices (global). Needs AccessModule (ClientRegistry, AccessRightsRepository) and, for
 * `partners`, ContractsModule. The apps mount them: the gateway's internal API through RestMetaservices, the
 * partner endpoint through PartnerMetaservices (InboundModule's `metaservices`).
 */
@Module({})
export class MetaservicesModule {
  static forRoot(options: MetaservicesOptions): DynamicModule {
    const catalogue =
      options.services === 'partners'
        ? { provide: ServiceCatalogue, useFactory: (partners: PartnerDirectory) => ServiceCatalogue.ofPartners(partners.all()), inject: [PartnerDirectory] }
        : { provide: ServiceCatalogue, useFactory: () => ServiceCatalogue.ofMinistry(loadInboundCatalogue(options.ministryDir), MINISTRY_SERVICE) };
    return {
      module: MetaservicesModule,
      global: true,
      providers: [catalogue, { provide: INVENTORY_OPTIONS, useValue: options.inventory ?? { certificateFiles: [] } }, ...USE_CASES, RestMetaservices, PartnerMetaservices],
      exports: [ServiceCatalogue, ...USE_CASES, RestMetaservices, PartnerMetaservices],
    };
  }
}
