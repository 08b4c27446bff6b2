import { Injectable } from '@nestjs/common';
import { OperatorAction } from '../audit/audit-entry';
import { AuditTrail } from '../audit/audit-trail.repository';
import { Clock } from '../clock';
import { SessionRepository } from '../sessions/session.repository';
import { tokenHash } from '../sessions/session-token';

/** Ends the session of a bearer token on the server (the token no longer opens anything) and audits it. */
@Injectable()
export class SignOutUseCase {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  /** True when a live session was ended (a service token or an ended session: nothing to end). */
  async execute(token: string): Promise<boolean> {
    const now = this.clock.now();
    const ended = await this.sessions.end(tokenHash(token), now, 'signed-out');
    if (!ended) return false;
    await this.audit.record({ operator: ended.operator, action: OperatorAction.SIGN_OUT, messageIds: [], at: now, detail: { sessionId: ended.sessionId } });
    return true;
  }
}
