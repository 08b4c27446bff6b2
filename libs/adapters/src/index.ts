export { AdaptersModule } from './adapters.module';
export { PartnerClient } from './partner-client';
export type { PartnerReply, PartnerDriver } from './partner-client.port';
export { PartnerException, PartnerErrorCode } from './partner.exception';
export { XRoadHeader } from './xroad-headers';
export { SoapPartnerDriver, XROAD_MINISTRY } from './soap/soap-partner.driver';
export { classifySoapError } from './soap/classify-soap-error';
export { loadWsdlOperations } from './soap/wsdl-contracts.repository';
export type { WsdlOperation } from './soap/wsdl-contracts.repository';
