import { Injectable } from '@nestjs/common';
import { OperatorAction } from '../audit/audit-entry';
import { AuditTrail } from '../audit/audit-trail.repository';
import { Clock } from '../clock';
import { OperatorsErrorCode } from '../operators-error-code';
import { OperatorsException } from '../operators.exception';
import { LiveSession, SessionRepository } from '../sessions/session.repository';

/** Admins see who is signed in, and end a session (a lost laptop, someone who left): audited with a reason. */
@Injectable()
export class EndSessionUseCase {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  list(): Promise<LiveSession[]> {
    return this.sessions.listLive(this.clock.now());
  }

  async execute(input: { admin: string; sessionId: string; reason?: unknown }): Promise<void> {
    const problems: string[] = [];
    if (!/^[0-9a-f]{16}$/.test(input.sessionId)) problems.push('the session id must be 16 hex digits');
    const reason = input.reason === undefined ? undefined : input.reason;
    if (reason !== undefined && (typeof reason !== 'string' || reason.length > 1000)) problems.push('"reason" must be a string of at most 1000 characters');
    if (problems.length) throw OperatorsException.invalid(problems);
    const now = this.clock.now();
    const ended = await this.sessions.endById(input.sessionId, now, 'ended-by-admin');
    if (!ended) throw new OperatorsException(OperatorsErrorCode.SESSION_NOT_FOUND, `No live session has id ${input.sessionId}`);
    await this.audit.record({
      operator: input.admin,
      action: OperatorAction.END_SESSION,
      messageIds: [],
      at: now,
      reason: reason as string | undefined,
      detail: { sessionId: ended.sessionId, sessionOperator: ended.operator },
    });
  }
}
