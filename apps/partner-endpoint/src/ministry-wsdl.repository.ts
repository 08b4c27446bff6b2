import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import * as fs from 'node:fs';
import { loadWsdlOperations } from '@korpu/adapters';
import { InboundCatalogue, InboundErrorCode, InboundException } from '@korpu/inbound';

/**
 * The ministry's WSDL (contract-first): read once, checked at boot against services.json (every service is an
 * operation of the WSDL with the same SOAPAction), served at ?wsdl with the address the caller used.
 */
@Injectable()
export class MinistryWsdlRepository implements OnModuleInit {
  private source = '';

  constructor(@Inject(InboundCatalogue) private readonly catalogue: InboundCatalogue) {}

  async onModuleInit(): Promise<void> {
    this.source = fs.readFileSync(this.catalogue.wsdlFile, 'utf8');
    const operations = await loadWsdlOperations(this.catalogue.wsdlFile);
    const problems = this.catalogue
      .all()
      .filter((service) => operations.get(service.operation)?.soapAction !== service.soapAction)
      .map((service) => `${service.operation}: not in ${this.catalogue.wsdlFile} with SOAPAction ${service.soapAction}`);
    if (problems.length) throw new InboundException(InboundErrorCode.CONFIGURATION_INVALID, `services.json and the WSDL disagree: ${problems.join('; ')}`);
  }

  document(address: string): string {
    return this.source.replace(/(<soap:address\s+location=")[^"]*(")/, `$1${address}$2`);
  }
}
