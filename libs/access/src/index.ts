export { AccessModule, ACCESS_MIGRATIONS } from './access.module';
export type { AccessOptions } from './access.module';
export { AccessControlService } from './access-control.service';
export { AccessRightsRepository } from './access-rights.repository';
export type { AccessRight, ClientGrant } from './access-rights.repository';
export { AccessException, AccessErrorCode } from './access.exception';
export { ClientRegistry } from './client-registry';
export type { CertificateUse, RegisteredClient, ClientRegistryOptions } from './client-registry';
