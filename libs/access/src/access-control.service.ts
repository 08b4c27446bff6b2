import { Injectable } from '@nestjs/common';
import { AccessErrorCode, AccessException } from './access.exception';
import { AccessRightsRepository } from './access-rights.repository';

/** Answers "may this client call this service?" on every request; a revocation takes effect at once. */
@Injectable()
export class AccessControlService {
  constructor(private readonly rights: AccessRightsRepository) {}

  async check(clientId: string | undefined, service: string): Promise<void> {
    if (!clientId) throw new AccessException(AccessErrorCode.CLIENT_MISSING, 'The request names no client (X-Road-Client header)');
    const status = await this.rights.clientStatus(clientId);
    if (status === undefined) throw new AccessException(AccessErrorCode.UNKNOWN_CLIENT, `Unknown client "${clientId}"`);
    if (status !== 'active') throw new AccessException(AccessErrorCode.CLIENT_DISABLED, `Client "${clientId}" is ${status}`);
    if (!(await this.rights.isGranted(clientId, service))) {
      throw new AccessException(AccessErrorCode.ACCESS_DENIED, `Client "${clientId}" has no access to "${service}"`);
    }
  }
}
