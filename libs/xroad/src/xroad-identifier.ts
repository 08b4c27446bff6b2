import { XRoadErrorCode } from './xroad-error-code';
import { XRoadException } from './xroad.exception';

/** An X-Road member or subsystem (xrd:client, objectType MEMBER or SUBSYSTEM). */
export interface XRoadClientId {
  xRoadInstance: string;
  memberClass: string;
  memberCode: string;
  subsystemCode?: string;
}

/** An X-Road service (xrd:service, objectType SERVICE). */
export interface XRoadServiceId extends XRoadClientId {
  serviceCode: string;
  serviceVersion?: string;
}

/** The ministry as an X-Road member; its subsystems are Körpü's clients `MLSP/<subsystem>`. */
export interface XRoadMinistry {
  xRoadInstance: string;
  memberClass: string;
  memberCode: string;
  /** Prefix of the ministry's own client ids (default `MLSP`). */
  clientPrefix?: string;
}

/** Development default; production reads it from configuration. */
export const DEFAULT_MINISTRY: XRoadMinistry = { xRoadInstance: 'AZ', memberClass: 'GOV', memberCode: '1400000003', clientPrefix: 'MLSP' };

const PART = /^[A-Za-z0-9._:-]{1,64}$/;

function parts(text: string, what: string, min: number, max: number): string[] {
  const split = text.split('/');
  if (split.length < min || split.length > max || split.some((p) => !PART.test(p))) {
    throw new XRoadException(XRoadErrorCode.IDENTIFIER_INVALID, `"${text}" is not an X-Road ${what} identifier`);
  }
  return split;
}

/** `INSTANCE/CLASS/CODE[/SUBSYSTEM]` → identifier. */
export function parseXRoadClientId(text: string): XRoadClientId {
  const [xRoadInstance, memberClass, memberCode, subsystemCode] = parts(text, 'client', 3, 4);
  return { xRoadInstance, memberClass, memberCode, ...(subsystemCode ? { subsystemCode } : {}) };
}

/** `INSTANCE/CLASS/CODE/SUBSYSTEM` (a partner's `xroadService`) plus the operation → service identifier. */
export function xroadServiceFor(xroadService: string, serviceCode: string, serviceVersion?: string): XRoadServiceId {
  const [xRoadInstance, memberClass, memberCode, subsystemCode] = parts(xroadService, 'subsystem', 4, 4);
  return { xRoadInstance, memberClass, memberCode, subsystemCode, serviceCode, ...(serviceVersion ? { serviceVersion } : {}) };
}

export function formatXRoadId(id: XRoadClientId): string {
  return [id.xRoadInstance, id.memberClass, id.memberCode, id.subsystemCode].filter((p) => p !== undefined).join('/');
}

/**
 * Körpü client id → X-Road client: a ministry subsystem `MLSP/pensions` becomes the ministry member's subsystem
 * `pensions`; a full identifier `AZ/GOV/1400000001/egov-portal` is taken as it is.
 */
export function xroadClientFor(clientId: string, ministry: XRoadMinistry = DEFAULT_MINISTRY): XRoadClientId {
  const prefix = `${ministry.clientPrefix ?? 'MLSP'}/`;
  if (clientId.startsWith(prefix)) {
    const [subsystemCode] = parts(clientId.slice(prefix.length), 'subsystem', 1, 1);
    return { xRoadInstance: ministry.xRoadInstance, memberClass: ministry.memberClass, memberCode: ministry.memberCode, subsystemCode };
  }
  return parseXRoadClientId(clientId);
}

/** The reverse of xroadClientFor: the ministry's own subsystems read as `MLSP/<subsystem>`, others as their full id. */
export function clientIdOf(client: XRoadClientId, ministry: XRoadMinistry = DEFAULT_MINISTRY): string {
  const ours =
    client.xRoadInstance === ministry.xRoadInstance && client.memberClass === ministry.memberClass && client.memberCode === ministry.memberCode;
  if (ours && client.subsystemCode) return `${ministry.clientPrefix ?? 'MLSP'}/${client.subsystemCode}`;
  return formatXRoadId(client);
}

export function sameXRoadId(a: XRoadClientId, b: XRoadClientId): boolean {
  return formatXRoadId(a) === formatXRoadId(b);
}
