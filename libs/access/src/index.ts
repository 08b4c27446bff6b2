export { AccessModule, ACCESS_MIGRATIONS, readClientGrants } from './access.module';
export type { AccessOptions } from './access.module';
export { AccessControlService } from './access-control.service';
export { AccessRightsRepository } from './access-rights.repository';
export type { AccessRight, ClientGrant } from './access-rights.repository';
export { AccessException, AccessErrorCode } from './access.exception';
