import { escapeXml, XRoadClientId, XRoadNs } from '@korpu/xroad';
import type { ListedClient } from '../list-clients/list-clients.usecase';
import type { ListedService } from '../list-methods/list-methods.usecase';

/**
 * The answers of the metaservices in X-Road's shapes: JSON as in the Service Metadata Protocol for REST
 * (PR-MREST: `{"member": [...]}` for listClients, `{"service": [...]}` for listMethods / allowedMethods, snake_case
 * identifier fields) and XML as in the Service Metadata Protocol (PR-META: `xrd:clientList`,
 * `xrd:listMethodsResponse` / `xrd:allowedMethodsResponse` of `xrd:service` identifiers, `xrd:getWsdlResponse`).
 */
export type SoapMetaservice = 'listClients' | 'listMethods' | 'allowedMethods' | 'getWsdl';
export type RestMetaservice = 'listClients' | 'listMethods' | 'allowedMethods' | 'getOpenAPI' | 'getWsdl';
export const SOAP_METASERVICES: ReadonlySet<string> = new Set<SoapMetaservice>(['listClients', 'listMethods', 'allowedMethods', 'getWsdl']);
export const REST_METASERVICES: ReadonlySet<string> = new Set<RestMetaservice>(['listClients', 'listMethods', 'allowedMethods', 'getOpenAPI', 'getWsdl']);

function jsonId(id: XRoadClientId): Record<string, string> {
  return {
    object_type: id.subsystemCode === undefined ? 'MEMBER' : 'SUBSYSTEM',
    xroad_instance: id.xRoadInstance,
    member_class: id.memberClass,
    member_code: id.memberCode,
    ...(id.subsystemCode === undefined ? {} : { subsystem_code: id.subsystemCode }),
  };
}

export function restClientList(clients: readonly ListedClient[]): { member: Array<{ id: Record<string, string>; name: string }> } {
  return { member: clients.map((client) => ({ id: jsonId(client.id), name: client.name })) };
}

export function restServiceList(services: readonly ListedService[]): { service: Array<Record<string, unknown>> } {
  return {
    service: services.map(({ id, service }) => ({
      ...jsonId(id),
      object_type: 'SERVICE',
      service_code: id.serviceCode,
      service_type: service.openApi ? 'OPENAPI' : service.wsdl ? 'WSDL' : 'REST',
      ...(service.rest ? { endpoint_list: [{ method: service.rest.method, path: service.rest.path }] } : {}),
    })),
  };
}

const NS = `xmlns:xrd="${XRoadNs.XROAD}" xmlns:id="${XRoadNs.XROAD_ID}"`;

function xmlIdParts(id: XRoadClientId & { serviceCode?: string }): string {
  const part = (name: string, value: string | undefined) => (value === undefined ? '' : `<id:${name}>${escapeXml(value)}</id:${name}>`);
  return (
    part('xRoadInstance', id.xRoadInstance) +
    part('memberClass', id.memberClass) +
    part('memberCode', id.memberCode) +
    part('subsystemCode', id.subsystemCode) +
    part('serviceCode', id.serviceCode)
  );
}

export function soapClientList(clients: readonly ListedClient[]): string {
  const members = clients.map(
    (client) =>
      `<xrd:member><xrd:id id:objectType="${client.id.subsystemCode === undefined ? 'MEMBER' : 'SUBSYSTEM'}">${xmlIdParts(client.id)}</xrd:id>` +
      `<xrd:name>${escapeXml(client.name)}</xrd:name></xrd:member>`,
  );
  return `<xrd:clientList ${NS}>${members.join('')}</xrd:clientList>`;
}

export function soapServiceList(metaservice: 'listMethods' | 'allowedMethods', services: readonly ListedService[]): string {
  const items = services.map(({ id }) => `<xrd:service id:objectType="SERVICE">${xmlIdParts(id)}</xrd:service>`);
  return `<xrd:${metaservice}Response ${NS}>${items.join('')}</xrd:${metaservice}Response>`;
}

export function soapGetWsdlResponse(serviceCode: string): string {
  return `<xrd:getWsdlResponse ${NS}><xrd:serviceCode>${escapeXml(serviceCode)}</xrd:serviceCode></xrd:getWsdlResponse>`;
}
