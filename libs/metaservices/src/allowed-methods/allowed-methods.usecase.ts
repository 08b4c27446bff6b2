import { Injectable } from '@nestjs/common';
import { AccessRightsRepository } from '@korpu/access';
import { ListMethodsCommand } from '../list-methods/list-methods.command';
import { ListedService, ListMethodsUseCase } from '../list-methods/list-methods.usecase';
import { AllowedMethodsCommand } from './allowed-methods.command';

/**
 * X-Road's allowedMethods: the provider's services the caller may call now — a live (not revoked) access right
 * and an active client, read from the access tables on each call, so a grant or revocation shows at once. An
 * unknown or disabled client may call nothing. @throws METASERVICE_PROVIDER_UNKNOWN
 */
@Injectable()
export class AllowedMethodsUseCase {
  constructor(
    private readonly methods: ListMethodsUseCase,
    private readonly rights: AccessRightsRepository,
  ) {}

  async execute(command: AllowedMethodsCommand): Promise<ListedService[]> {
    const offered = this.methods.execute(ListMethodsCommand.create({ provider: command.provider, protocol: command.protocol }));
    const standing = (await this.rights.table(command.clientId)).get(command.clientId);
    if (!standing || standing.status !== 'active') return [];
    return offered.filter((listed) => standing.services.has(listed.service.accessId));
  }
}
