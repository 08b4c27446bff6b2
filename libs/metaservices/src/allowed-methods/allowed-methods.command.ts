import type { XRoadClientId } from '@korpu/xroad';
import type { ServiceProtocol } from '../service-catalogue';

/** allowedMethods: which caller asks (the authenticated client), about which provider, over which protocol. */
export class AllowedMethodsCommand {
  private constructor(
    readonly clientId: string,
    readonly provider: XRoadClientId,
    /** Only services served over this protocol; absent: all (the internal API reaches every partner protocol). */
    readonly protocol: ServiceProtocol | undefined,
  ) {}

  static create(input: { clientId: string; provider: XRoadClientId; protocol?: ServiceProtocol }): AllowedMethodsCommand {
    return new AllowedMethodsCommand(input.clientId, input.provider, input.protocol);
  }
}
