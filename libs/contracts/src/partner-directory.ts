import { ServiceRef } from '@korpu/envelope';
import { UnknownServiceException } from './contracts.exception';
import { OperationConfig, PartnerConfig } from './partner-config';

/** The onboarded partners, looked up by id or by service (partner/operation). */
export class PartnerDirectory {
  private readonly byId: Map<string, PartnerConfig>;

  constructor(partners: PartnerConfig[]) {
    this.byId = new Map(partners.map((partner) => [partner.id, partner]));
  }

  all(): PartnerConfig[] {
    return [...this.byId.values()];
  }

  partner(id: string): PartnerConfig | undefined {
    return this.byId.get(id);
  }

  /** The partner and operation behind a service, or UnknownServiceException. */
  resolve(service: ServiceRef): { partner: PartnerConfig; operation: OperationConfig } {
    const partner = this.byId.get(service.partner);
    const operation = partner?.operations[service.operation];
    if (!partner || !operation) throw new UnknownServiceException(`${service.partner}/${service.operation}`);
    return { partner, operation };
  }
}
