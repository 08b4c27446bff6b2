export { AdaptersModule } from './adapters.module';
export { PartnerClient } from './partner-client';
export type { PartnerReply, PartnerDriver } from './partner-client.port';
export { PartnerException, PartnerErrorCode } from './partner.exception';
export { XRoadHeader } from './xroad-headers';
