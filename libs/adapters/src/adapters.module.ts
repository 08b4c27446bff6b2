import { Module } from '@nestjs/common';
import { PartnerClient } from './partner-client';
import { PartnerHttpClients } from './partner-http-clients';
import { RestPartnerDriver } from './rest/rest-partner.driver';
import { SoapPartnerDriver } from './soap/soap-partner.driver';
import { WsdlContractsRepository } from './soap/wsdl-contracts.repository';

/**
 * Protocol drivers behind PartnerClient. The SOAP driver needs SoapSigner and SoapVerifier: the app registers
 * SignatureModule.forRoot(...) as a global module (and may provide XROAD_MINISTRY, its X-Road member identity).
 */
@Module({
  providers: [PartnerHttpClients, RestPartnerDriver, SoapPartnerDriver, WsdlContractsRepository, PartnerClient],
  exports: [PartnerClient],
})
export class AdaptersModule {}
