import { Inject, Injectable } from '@nestjs/common';
import { ClientRegistry } from '@korpu/access';
import { formatXRoadId, xroadClientFor, XRoadClientId } from '@korpu/xroad';
import { ServiceCatalogue } from '../service-catalogue';

/** One entry of listClients: an X-Road subsystem (a registered client or a provider) and its name. */
export interface ListedClient {
  id: XRoadClientId;
  name: string;
}

/**
 * X-Road's listClients: the subsystems known here — every registered client (contracts/clients.json; the
 * ministry's `MLSP/<subsystem>` as the ministry member's subsystem) and every provider of services — once each,
 * sorted by identifier.
 */
@Injectable()
export class ListClientsUseCase {
  constructor(
    private readonly registry: ClientRegistry,
    @Inject(ServiceCatalogue) private readonly catalogue: ServiceCatalogue,
  ) {}

  execute(): ListedClient[] {
    const byId = new Map<string, ListedClient>();
    for (const client of this.registry.clients()) {
      const id = xroadClientFor(client.id);
      byId.set(formatXRoadId(id), { id, name: client.name });
    }
    for (const provider of this.catalogue.providers) {
      if (!byId.has(formatXRoadId(provider.id))) byId.set(formatXRoadId(provider.id), { id: provider.id, name: provider.name });
    }
    return [...byId.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, client]) => client);
  }
}
