import type { XRoadClientId } from '@korpu/xroad';
import { MetaserviceErrorCode, MetaserviceException } from '../metaservices.exception';

export type DescriptionKind = 'wsdl' | 'openapi';

/** getWsdl / getOpenAPI: the provider, the service code, and which description. */
export class GetServiceDescriptionCommand {
  private constructor(
    readonly provider: XRoadClientId,
    readonly serviceCode: string,
    readonly kind: DescriptionKind,
  ) {}

  /** @throws METASERVICE_REQUEST_INVALID without a service code */
  static create(input: { provider: XRoadClientId; serviceCode: string | undefined; kind: DescriptionKind }): GetServiceDescriptionCommand {
    const serviceCode = input.serviceCode?.trim();
    if (!serviceCode || serviceCode.length > 200) {
      throw new MetaserviceException(MetaserviceErrorCode.REQUEST_INVALID, `${input.kind === 'wsdl' ? 'getWsdl' : 'getOpenAPI'} needs a serviceCode`);
    }
    return new GetServiceDescriptionCommand(input.provider, serviceCode, input.kind);
  }
}
