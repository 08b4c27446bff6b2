import { RequestSchema, parameterValid, readRequest } from '@korpu/errors';
import { Injectable } from '@nestjs/common';
import { OperatorAction } from '../audit/audit-entry';
import { AuditTrail } from '../audit/audit-trail.repository';
import { Clock } from '../clock';
import { OperatorsErrorCode } from '../operators-error-code';
import { OperatorsException } from '../operators.exception';
import { LiveSession, SessionRepository } from '../sessions/session.repository';

/** The session id in DELETE /v1/admin/sessions/:sessionId. */
export const SESSION_ID_PARAM_SCHEMA: RequestSchema = { type: 'string', pattern: '^[0-9a-f]{16}$', description: '16 hex digits' };

/** The body of DELETE /v1/admin/sessions/:sessionId. */
export const END_SESSION_BODY: RequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { reason: { type: 'string', maxLength: 1000, description: 'Why (kept in the audit trail)' } },
};

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

  async execute(input: { admin: string; sessionId: string; body?: unknown }): Promise<void> {
    const { fields, problems } = readRequest(END_SESSION_BODY, input.body);
    if (!parameterValid('session id', SESSION_ID_PARAM_SCHEMA, input.sessionId)) {
      problems.push(`the session id must be ${SESSION_ID_PARAM_SCHEMA.description as string}`);
    }
    const reason = fields.reason as string | undefined;
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
