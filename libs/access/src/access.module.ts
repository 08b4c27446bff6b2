import { DynamicModule, Module, OnApplicationBootstrap, Inject } from '@nestjs/common';
import { AccessControlService } from './access-control.service';
import { AccessRightsCache } from './access-rights.cache';
import { AccessRightsRepository } from './access-rights.repository';
import { AuthenticateClientUseCase } from './authenticate-client/authenticate-client.usecase';
import { ClientAuthGuard } from './http/client-auth.guard';
import { ClientRegistry } from './client-registry';

export interface AccessOptions {
  /** `contracts/clients.json`: clients, their initial rights (added at boot if absent) and their certificates. */
  clientsFile: string;
  /** Where `pki:` certificate references in the clients file point (PKI_DIR). */
  pkiDir: string;
  /** Seed the clients and rights of the file into the access tables at boot (the gateway and partner endpoint do). */
  seed?: boolean;
}

const ACCESS_OPTIONS = Symbol('ACCESS_OPTIONS');

class AccessSeeder implements OnApplicationBootstrap {
  constructor(
    @Inject(ACCESS_OPTIONS) private readonly options: AccessOptions,
    private readonly registry: ClientRegistry,
    private readonly rights: AccessRightsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.seed !== false) await this.rights.seed(this.registry.grants(), 'configuration');
  }
}

@Module({})
export class AccessModule {
  static forRoot(options: AccessOptions): DynamicModule {
    // Read once, at module creation: a bad clients file stops the app at boot, naming each problem.
    const registry = ClientRegistry.load(options.clientsFile, { pkiDir: options.pkiDir });
    return {
      module: AccessModule,
      global: true,
      providers: [
        { provide: ACCESS_OPTIONS, useValue: options },
        { provide: ClientRegistry, useValue: registry },
        AccessRightsRepository,
        AccessRightsCache,
        AccessControlService,
        AuthenticateClientUseCase,
        ClientAuthGuard,
        {
          provide: AccessSeeder,
          useFactory: (rights: AccessRightsRepository) => new AccessSeeder(options, registry, rights),
          inject: [AccessRightsRepository],
        },
      ],
      exports: [AccessControlService, AccessRightsRepository, ClientRegistry, AuthenticateClientUseCase, ClientAuthGuard],
    };
  }
}

export const ACCESS_MIGRATIONS = `${__dirname}/../migrations`;
