import { Injectable } from '@nestjs/common';
import type { XRoadClientId } from '@korpu/xroad';
import { AllowedMethodsCommand } from '../allowed-methods/allowed-methods.command';
import { AllowedMethodsUseCase } from '../allowed-methods/allowed-methods.usecase';
import { GetServiceDescriptionCommand } from '../get-service-description/get-service-description.command';
import { GetServiceDescriptionUseCase } from '../get-service-description/get-service-description.usecase';
import { ListClientsUseCase } from '../list-clients/list-clients.usecase';
import { ListMethodsCommand } from '../list-methods/list-methods.command';
import { ListMethodsUseCase } from '../list-methods/list-methods.usecase';
import { MetaserviceErrorCode, MetaserviceException } from '../metaservices.exception';
import type { ServiceProtocol } from '../service-catalogue';
import { REST_METASERVICES, RestMetaservice, restClientList, restServiceList } from './xroad-metaservice.shapes';

/** A metaservice request target: `/r1/listClients` or `/r1/{instance}/{class}/{code}/{subsystem}/{metaservice}[?serviceCode=…]`. */
export interface MetaserviceTarget {
  metaservice: RestMetaservice;
  provider?: XRoadClientId;
  serviceCode?: string;
}

const PART = /^[A-Za-z0-9._:-]{1,64}$/;

/** @throws METASERVICE_REQUEST_INVALID for anything else */
export function parseMetaserviceTarget(target: string): MetaserviceTarget {
  const url = new URL(target, 'http://metaservice.invalid');
  const parts = url.pathname.split('/').slice(1).map((p) => decodeURIComponent(p));
  const invalid = () => new MetaserviceException(MetaserviceErrorCode.REQUEST_INVALID, `${url.pathname} is no metaservice: GET /r1/listClients or /r1/{instance}/{class}/{code}/{subsystem}/{listMethods|allowedMethods|getOpenAPI|getWsdl}`);
  if (parts[0] !== 'r1') throw invalid();
  if (parts.length === 2 && parts[1] === 'listClients') return { metaservice: 'listClients' };
  const metaservice = parts[5];
  if (parts.length !== 6 || !REST_METASERVICES.has(metaservice) || metaservice === 'listClients' || !parts.slice(1, 5).every((p) => PART.test(p))) throw invalid();
  const [xRoadInstance, memberClass, memberCode, subsystemCode] = parts.slice(1, 5);
  return { metaservice: metaservice as RestMetaservice, provider: { xRoadInstance, memberClass, memberCode, subsystemCode }, serviceCode: url.searchParams.get('serviceCode') ?? undefined };
}

/**
 * The metaservices over REST, the same at the internal API (subsystems, TLS client certificate) and the partner
 * endpoint (partners, signed GET): parses the target, runs the use case for the authenticated caller, and answers
 * in X-Road's JSON shapes (or the description document itself for getOpenAPI / getWsdl).
 */
@Injectable()
export class RestMetaservices {
  constructor(
    private readonly clients: ListClientsUseCase,
    private readonly methods: ListMethodsUseCase,
    private readonly allowed: AllowedMethodsUseCase,
    private readonly descriptions: GetServiceDescriptionUseCase,
  ) {}

  /** `protocol`: list only services served over it (the partner endpoint's REST lists REST services). */
  async answer(call: { clientId: string; target: string; protocol?: ServiceProtocol }): Promise<{ contentType: string; body: string }> {
    const target = parseMetaserviceTarget(call.target);
    const json = (value: unknown) => ({ contentType: 'application/json', body: JSON.stringify(value) });
    const provider = target.provider as XRoadClientId;
    switch (target.metaservice) {
      case 'listClients':
        return json(restClientList(this.clients.execute()));
      case 'listMethods':
        return json(restServiceList(this.methods.execute(ListMethodsCommand.create({ provider, protocol: call.protocol }))));
      case 'allowedMethods':
        return json(restServiceList(await this.allowed.execute(AllowedMethodsCommand.create({ clientId: call.clientId, provider, protocol: call.protocol }))));
      case 'getOpenAPI':
      case 'getWsdl': {
        const kind = target.metaservice === 'getWsdl' ? 'wsdl' : 'openapi';
        const description = this.descriptions.execute(GetServiceDescriptionCommand.create({ provider, serviceCode: target.serviceCode, kind }));
        return { contentType: description.contentType, body: description.document };
      }
    }
  }
}
