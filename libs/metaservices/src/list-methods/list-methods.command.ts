import type { XRoadClientId } from '@korpu/xroad';
import type { ServiceProtocol } from '../service-catalogue';

/** listMethods / allowedMethods: the provider asked about, over which protocol (SOAP lists SOAP services, REST REST ones). */
export class ListMethodsCommand {
  private constructor(
    readonly provider: XRoadClientId,
    /** Only services served over this protocol; absent: all (the internal API reaches every partner protocol). */
    readonly protocol: ServiceProtocol | undefined,
  ) {}

  static create(input: { provider: XRoadClientId; protocol?: ServiceProtocol }): ListMethodsCommand {
    return new ListMethodsCommand(input.provider, input.protocol);
  }
}
