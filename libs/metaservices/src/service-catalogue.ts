import * as fs from 'node:fs';
import type { PartnerConfig, SchemaRef } from '@korpu/contracts';
import type { InboundCatalogue } from '@korpu/inbound';
import { formatXRoadId, parseXRoadClientId, XRoadClientId } from '@korpu/xroad';
import { MetaserviceErrorCode, MetaserviceException } from './metaservices.exception';

/** How a service is called: SOAP (described by a WSDL) or REST (described by an OpenAPI document). */
export type ServiceProtocol = 'soap' | 'rest';

/** A description document of a service: read from contracts/ or made from them. */
export interface ServiceDescription {
  contentType: string;
  document: string;
}

/** One service a provider offers, as the metaservices describe it. */
export interface PublishedService {
  serviceCode: string;
  /** The service as access rights name it (`partner/Operation`, `ministry/Operation`). */
  accessId: string;
  /** Over which protocols it is served. */
  protocols: ServiceProtocol[];
  /** REST: the endpoint (X-Road's `endpoint_list`). */
  rest?: { method: string; path: string };
  request: SchemaRef;
  reply: SchemaRef;
  /** The contract file it is described by (inventory). */
  contractFile: string;
  wsdl?: () => ServiceDescription;
  openApi?: () => ServiceDescription;
}

/** An X-Road subsystem that offers services: a partner agency (internal API) or a ministry subsystem (partner endpoint). */
export interface ServiceProvider {
  id: XRoadClientId;
  name: string;
  services: PublishedService[];
}

const once = (file: string, contentType: string): (() => ServiceDescription) => {
  let cached: ServiceDescription | undefined;
  return () => (cached ??= { contentType, document: fs.readFileSync(file, 'utf8') });
};

/**
 * The providers and services the metaservices answer about, built once at boot: at the internal API the
 * onboarded partners (contracts/<partner>/partner.json with their WSDL or OpenAPI), at the partner endpoint the
 * ministry's subsystems (contracts/ministry/services.json, its WSDL, and an OpenAPI made from services.json for
 * the REST equivalents).
 */
export class ServiceCatalogue {
  private readonly byId: Map<string, ServiceProvider>;

  constructor(readonly providers: readonly ServiceProvider[]) {
    this.byId = new Map(providers.map((provider) => [formatXRoadId(provider.id), provider]));
  }

  /** @throws METASERVICE_PROVIDER_UNKNOWN */
  provider(id: XRoadClientId): ServiceProvider {
    const provider = this.byId.get(formatXRoadId(id));
    if (!provider) throw new MetaserviceException(MetaserviceErrorCode.PROVIDER_UNKNOWN, `${formatXRoadId(id)} offers no services here`, { provider: formatXRoadId(id) });
    return provider;
  }

  /** Partners with an X-Road identifier (`xroadService`); the others cannot be named in an X-Road request. */
  static ofPartners(partners: readonly PartnerConfig[]): ServiceCatalogue {
    return new ServiceCatalogue(
      partners
        .filter((partner) => partner.xroadService !== undefined)
        .map((partner) => {
          const description = once(partner.contractFile, partner.protocol === 'soap' ? 'text/xml; charset=utf-8' : openApiMediaType(partner.contractFile));
          return {
            id: parseXRoadClientId(partner.xroadService as string),
            name: partner.name,
            services: Object.values(partner.operations).map((operation) => ({
              serviceCode: operation.name,
              accessId: `${partner.id}/${operation.name}`,
              protocols: [partner.protocol],
              ...(partner.protocol === 'rest' && operation.method && operation.path ? { rest: { method: operation.method, path: operation.path } } : {}),
              request: operation.request,
              reply: operation.reply,
              contractFile: partner.contractFile,
              ...(partner.protocol === 'soap' ? { wsdl: description } : { openApi: description }),
            })),
          };
        }),
    );
  }

  /** The ministry's subsystems that own published services, each over SOAP (the WSDL) and REST (restPath). */
  static ofMinistry(catalogue: InboundCatalogue, ministryService: string, names: Record<string, string> = {}): ServiceCatalogue {
    const wsdl = once(catalogue.wsdlFile, 'text/xml; charset=utf-8');
    return new ServiceCatalogue(
      catalogue.owners().map((owner) => {
        const services = catalogue.all().filter((service) => service.owner === owner);
        const openApi = (): ServiceDescription => ({ contentType: 'application/json', document: JSON.stringify(ministryOpenApi(owner, services), null, 2) });
        return {
          id: { ...catalogue.xroadMember, subsystemCode: owner },
          name: names[owner] ?? owner,
          services: services.map((service) => ({
            serviceCode: service.operation,
            accessId: `${ministryService}/${service.operation}`,
            protocols: ['soap', 'rest'] as ServiceProtocol[],
            rest: { method: 'POST', path: service.restPath },
            request: service.request,
            reply: service.reply,
            contractFile: catalogue.wsdlFile,
            wsdl,
            openApi,
          })),
        };
      }),
    );
  }
}

function openApiMediaType(file: string): string {
  return /\.ya?ml$/i.test(file) ? 'application/yaml' : 'application/json';
}

/** OpenAPI 3.0 of a ministry subsystem's REST equivalents (the partner endpoint's /rest/v1/<operation>). */
function ministryOpenApi(owner: string, services: ReturnType<InboundCatalogue['all']>): Record<string, unknown> {
  const header = (name: string, description: string) => ({ name, in: 'header', required: true, schema: { type: 'string' }, description });
  const xml = (type: string, version: string) => ({ 'application/xml': { schema: { type: 'string', description: `${type} v${version} (schemas/${type}/v${version}.xsd)` } } });
  return {
    openapi: '3.0.3',
    info: { title: `Ministry services of subsystem ${owner}`, version: '1' },
    paths: Object.fromEntries(
      services.map((service) => [
        service.restPath,
        {
          post: {
            operationId: service.operation,
            parameters: [
              header('X-Road-Client', 'The calling X-Road client, e.g. AZ/GOV/1400000001/egov-portal'),
              header('X-Road-Id', 'The caller\'s message id'),
              header('X-Korpu-Signature', 'Detached JWS over the body, method, path and every X-Road header'),
            ],
            requestBody: { required: true, content: xml(service.request.type, service.request.version) },
            responses: {
              '200': { description: 'The signed reply', content: xml(service.reply.type, service.reply.version) },
              default: { description: 'application/problem+json with a stable code' },
            },
          },
        },
      ]),
    ),
  };
}
