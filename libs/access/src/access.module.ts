import { DynamicModule, Module, OnApplicationBootstrap, Inject } from '@nestjs/common';
import * as fs from 'node:fs';
import { AccessControlService } from './access-control.service';
import { AccessRightsRepository, ClientGrant } from './access-rights.repository';

export interface AccessOptions {
  /** `contracts/clients.json`: clients and their initial rights, added at boot if absent. */
  clientsFile?: string;
}

const ACCESS_OPTIONS = Symbol('ACCESS_OPTIONS');

export function readClientGrants(file: string): ClientGrant[] {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { clients?: Array<{ id: string; name?: string; services?: string[] }> };
  return (parsed.clients ?? []).map((client) => ({ clientId: client.id, name: client.name ?? client.id, services: client.services ?? [] }));
}

class AccessSeeder implements OnApplicationBootstrap {
  constructor(
    @Inject(ACCESS_OPTIONS) private readonly options: AccessOptions,
    private readonly rights: AccessRightsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.clientsFile) await this.rights.seed(readClientGrants(this.options.clientsFile), 'configuration');
  }
}

@Module({})
export class AccessModule {
  static forRoot(options: AccessOptions): DynamicModule {
    return {
      module: AccessModule,
      global: true,
      providers: [
        { provide: ACCESS_OPTIONS, useValue: options },
        AccessRightsRepository,
        AccessControlService,
        { provide: AccessSeeder, useFactory: (rights: AccessRightsRepository) => new AccessSeeder(options, rights), inject: [AccessRightsRepository] },
      ],
      exports: [AccessControlService, AccessRightsRepository],
    };
  }
}

export const ACCESS_MIGRATIONS = `${__dirname}/../migrations`;
