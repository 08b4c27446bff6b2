import { Injectable } from '@nestjs/common';
import { OperationConfig, PartnerConfig, PartnerProtocol } from '@korpu/contracts';
import { Envelope } from '@korpu/envelope';
import { SpanKind, traced } from '@korpu/observability';
import { PartnerDriver, PartnerReply } from './partner-client.port';
import { RestPartnerDriver } from './rest/rest-partner.driver';
import { SoapPartnerDriver } from './soap/soap-partner.driver';

/** Sends to any onboarded partner with the driver its protocol needs. */
@Injectable()
export class PartnerClient {
  private readonly drivers: Record<PartnerProtocol, PartnerDriver | undefined>;

  constructor(rest: RestPartnerDriver, soap: SoapPartnerDriver) {
    this.drivers = { rest, soap };
  }

  send(partner: PartnerConfig, operation: OperationConfig, request: Envelope): Promise<PartnerReply> {
    const driver = this.drivers[partner.protocol];
    if (!driver) throw new Error(`No driver for protocol ${partner.protocol}`);
    const attributes = { 'korpu.partner': partner.id, 'korpu.operation': operation.name, 'korpu.protocol': partner.protocol, 'messaging.message.id': request.messageId };
    // A CLIENT span over the whole call: signing the request, the HTTP exchange, verifying the reply's signature.
    return traced(`partner ${partner.id} ${operation.name}`, SpanKind.CLIENT, attributes, () => driver.send(partner, operation, request));
  }
}
