import { DynamicModule, Module } from '@nestjs/common';
import { loadPartnerConfigs } from './partner-config.loader';
import { PartnerDirectory } from './partner-directory';

export interface ContractsOptions {
  directory: string;
  /** partner id → endpoint URL, replacing the URL in its partner.json (per environment). */
  endpointOverrides?: Record<string, string>;
  /** PKI_DIR: where `pki:<relative>` certificate files of the contracts (a partner's `signers`) are resolved. */
  pkiDir: string;
}

@Module({})
export class ContractsModule {
  static forRoot(options: ContractsOptions): DynamicModule {
    return {
      module: ContractsModule,
      global: true,
      providers: [
        {
          provide: PartnerDirectory,
          useFactory: () => new PartnerDirectory(loadPartnerConfigs(options.directory, { endpointOverrides: options.endpointOverrides, pkiDir: options.pkiDir })),
        },
      ],
      exports: [PartnerDirectory],
    };
  }
}
