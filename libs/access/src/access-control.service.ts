import { Injectable } from '@nestjs/common';
import { AccessErrorCode, AccessException } from './access.exception';
import { AccessRightsCache } from './access-rights.cache';
import { AccessRightsRepository } from './access-rights.repository';

/**
 * Answers "may this client call this service?" on every request, from the cache when it can answer (it is
 * invalidated by every change), else from the database: a revocation takes effect at once on every instance.
 */
@Injectable()
export class AccessControlService {
  constructor(
    private readonly rights: AccessRightsRepository,
    private readonly cache: AccessRightsCache,
  ) {}

  async check(clientId: string | undefined, service: string): Promise<void> {
    if (!clientId) throw new AccessException(AccessErrorCode.CLIENT_MISSING, 'The request names no client (X-Road-Client header)');
    const cached = this.cache.standing(clientId, service);
    const standing = cached === null ? await this.rights.standing(clientId, service) : cached;
    if (standing === undefined) throw new AccessException(AccessErrorCode.UNKNOWN_CLIENT, `Unknown client "${clientId}"`);
    if (standing.status !== 'active') {
      throw new AccessException(AccessErrorCode.CLIENT_DISABLED, `Client "${clientId}" is ${standing.status}`);
    }
    if (!standing.granted) {
      throw new AccessException(AccessErrorCode.ACCESS_DENIED, `Client "${clientId}" has no access to "${service}"`);
    }
  }
}
