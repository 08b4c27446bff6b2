import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../clock';
import { AuthenticatedOperator, principalOf } from '../operator-principal';
import { OperatorsErrorCode } from '../operators-error-code';
import { OperatorsException } from '../operators.exception';
import { OPERATORS_OPTIONS, OperatorsOptions } from '../operators.options';
import { Role } from '../permissions';
import { SessionRepository } from './session.repository';
import { SESSION_TOKEN_PREFIX, tokenHash } from './session-token';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Turns a bearer token into the operator it belongs to: a live session (its idle expiry moved on), or one of the
 * configured service tokens (compared in constant time against every one). Anything else: ADMIN_UNAUTHENTICATED.
 */
@Injectable()
export class OperatorAuthenticator {
  private readonly serviceTokens: Array<{ digest: Buffer; name: string; roles: Role[] }>;

  constructor(
    @Inject(OPERATORS_OPTIONS) private readonly options: OperatorsOptions,
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
  ) {
    this.serviceTokens = options.serviceTokens.map((token) => ({ digest: digest(token.token), name: token.name, roles: token.roles }));
  }

  async authenticate(token: string): Promise<AuthenticatedOperator> {
    if (token.startsWith(SESSION_TOKEN_PREFIX)) {
      const now = this.clock.now();
      const found = await this.sessions.touch(tokenHash(token), now, new Date(now.getTime() + this.options.sessions.idleSeconds * 1000));
      if (found && 'session' in found) {
        const { session } = found;
        return principalOf(session.operator, session.roles, session.source, session.sessionId);
      }
      if (found) throw new OperatorsException(OperatorsErrorCode.SESSION_ENDED, 'Your session has ended; sign in again');
      throw new OperatorsException(OperatorsErrorCode.UNAUTHENTICATED, 'The operator token is not valid');
    }
    const presented = digest(token);
    let match: { name: string; roles: Role[] } | undefined;
    for (const candidate of this.serviceTokens) {
      // Compare against every token, so the time taken does not say which one matched.
      if (timingSafeEqual(candidate.digest, presented) && match === undefined) match = candidate;
    }
    if (!match) throw new OperatorsException(OperatorsErrorCode.UNAUTHENTICATED, 'The operator token is not valid');
    return principalOf(match.name, match.roles, 'service-token');
  }
}
