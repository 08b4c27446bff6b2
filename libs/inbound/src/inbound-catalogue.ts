import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SchemaRef } from '@korpu/contracts';
import { parseXRoadClientId, XRoadClientId } from '@korpu/xroad';
import { InboundErrorCode, InboundException } from './inbound.exception';

/** The service id of an inbound operation, as access rights name it: `ministry/<operation>`. */
export const MINISTRY_SERVICE = 'ministry';

/** One service the ministry publishes (contracts/ministry/services.json). */
export interface InboundService {
  operation: string;
  /** The subsystem that answers it: its requests go to topic inbound(owner). */
  owner: string;
  soapAction: string;
  restPath: string;
  request: SchemaRef;
  reply: SchemaRef;
}

/** The ministry's published services, read once at boot. */
export class InboundCatalogue {
  private readonly byOperation: Map<string, InboundService>;

  constructor(
    readonly xroadMember: XRoadClientId,
    readonly wsdlFile: string,
    services: InboundService[],
  ) {
    this.byOperation = new Map(services.map((service) => [service.operation, service]));
  }

  all(): InboundService[] {
    return [...this.byOperation.values()];
  }

  find(operation: string): InboundService | undefined {
    return this.byOperation.get(operation);
  }

  get(operation: string): InboundService {
    const service = this.byOperation.get(operation);
    if (!service) throw new InboundException(InboundErrorCode.SERVICE_UNKNOWN, `The ministry publishes no service "${operation}"`);
    return service;
  }

  owners(): string[] {
    return [...new Set(this.all().map((service) => service.owner))];
  }
}

type Json = Record<string, unknown>;

/** Reads `<dir>/services.json`, failing with every problem named. */
export function loadInboundCatalogue(dir: string): InboundCatalogue {
  const file = path.join(dir, 'services.json');
  const problems: string[] = [];
  let root: Json;
  try {
    root = JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
  } catch (error) {
    throw new InboundException(InboundErrorCode.CONFIGURATION_INVALID, `${file}: ${(error as Error).message}`);
  }
  const str = (obj: Json, key: string, where: string): string => {
    const value = obj[key];
    if (typeof value !== 'string' || value === '') problems.push(`${file}: ${where}.${key} must be a non-empty string`);
    return typeof value === 'string' ? value : '';
  };
  const ref = (obj: Json, key: string, where: string): SchemaRef => {
    const value = (obj[key] ?? {}) as Json;
    return { type: str(value, 'type', `${where}.${key}`), version: str(value, 'version', `${where}.${key}`) };
  };
  let member: XRoadClientId = { xRoadInstance: '', memberClass: '', memberCode: '' };
  try {
    member = parseXRoadClientId(str(root, 'xroadMember', '$'));
  } catch (error) {
    problems.push(`${file}: $.xroadMember ${(error as Error).message}`);
  }
  const wsdl = path.join(dir, str(root, 'wsdl', '$'));
  if (!fs.existsSync(wsdl)) problems.push(`${file}: $.wsdl names a missing file ${wsdl}`);
  const services: InboundService[] = [];
  for (const [operation, raw] of Object.entries((root.services ?? {}) as Record<string, Json>)) {
    const where = `$.services.${operation}`;
    const owner = str(raw, 'owner', where);
    if (owner && !/^[a-z][a-z0-9-]*$/.test(owner)) problems.push(`${file}: ${where}.owner must be kebab-case`);
    services.push({
      operation,
      owner,
      soapAction: str(raw, 'soapAction', where),
      restPath: str(raw, 'restPath', where),
      request: ref(raw, 'request', where),
      reply: ref(raw, 'reply', where),
    });
  }
  if (services.length === 0) problems.push(`${file}: $.services must name at least one service`);
  if (problems.length) throw new InboundException(InboundErrorCode.CONFIGURATION_INVALID, `Invalid inbound services:\n  - ${problems.join('\n  - ')}`, { problems });
  return new InboundCatalogue(member, wsdl, services);
}
