import { Inject, Injectable, Logger } from '@nestjs/common';
import { DUMMY_PASSWORD_HASH, verifyPassword } from '../accounts/password-hash';
import { OperatorAction } from '../audit/audit-entry';
import { AuditTrail } from '../audit/audit-trail.repository';
import { Clock } from '../clock';
import { OperatorDirectory } from '../directory/directory.port';
import { normalizeDn } from '../directory/distinguished-name';
import { AuthenticatedOperator, principalOf } from '../operator-principal';
import { OperatorsErrorCode } from '../operators-error-code';
import { OperatorsException } from '../operators.exception';
import { OPERATORS_OPTIONS, OperatorsOptions } from '../operators.options';
import { Role } from '../permissions';
import { SessionRepository } from '../sessions/session.repository';
import { newSessionToken, sessionIdOf, tokenHash } from '../sessions/session-token';
import { SignInThrottleRepository } from '../throttle/sign-in-throttle.repository';
import { SignInCommand } from './sign-in.command';

export interface SignInResult {
  /** The bearer token of the new session (`Authorization: Bearer <token>`); shown once, stored only as a hash. */
  token: string;
  expiresAt: string;
  idleExpiresAt: string;
  operator: AuthenticatedOperator;
}

type Verdict = { name: string; roles: Role[]; source: 'local' | 'directory' } | { failure: 'invalid-credentials' | 'no-role'; name?: string };

/**
 * Signs an operator in: a local (break-glass) account by its scrypt hash, otherwise the directory, whose groups
 * give the roles (OPERATOR_LDAP_GROUP_ROLES). Failures are throttled per account and per source address and every
 * failure and refusal is audited; a success starts a session stored as the hash of its token.
 */
@Injectable()
export class SignInUseCase {
  private readonly logger = new Logger('SignIn');

  constructor(
    @Inject(OPERATORS_OPTIONS) private readonly options: OperatorsOptions,
    private readonly directory: OperatorDirectory,
    private readonly sessions: SessionRepository,
    private readonly throttle: SignInThrottleRepository,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async execute(command: SignInCommand): Promise<SignInResult> {
    const now = this.clock.now();
    const lockedUntil = await this.throttle.lockedUntil([command.accountKey, command.sourceKey], now);
    if (lockedUntil) {
      const retryAfterSeconds = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
      await this.record(OperatorAction.SIGN_IN_THROTTLED, command.username, now, { source: command.source, retryAfterSeconds });
      this.logger.warn(`${OperatorsErrorCode.SIGN_IN_THROTTLED} user=${command.username} source=${command.source}`);
      throw new OperatorsException(OperatorsErrorCode.SIGN_IN_THROTTLED, 'Too many failed sign-ins; try again later', { retryAfterSeconds });
    }
    const verdict = await this.verify(command);
    if ('failure' in verdict) {
      const limits = this.options.throttle;
      const [account, source] = await Promise.all([
        this.throttle.recordFailure(command.accountKey, now, { max: limits.maxFailuresPerAccount, windowSeconds: limits.windowSeconds, lockSeconds: limits.lockSeconds }),
        this.throttle.recordFailure(command.sourceKey, now, { max: limits.maxFailuresPerSource, windowSeconds: limits.windowSeconds, lockSeconds: limits.lockSeconds }),
      ]);
      await this.record(OperatorAction.SIGN_IN_FAILED, command.username, now, {
        source: command.source,
        reason: verdict.failure,
        accountFailures: account.failures,
        sourceFailures: source.failures,
        ...(account.lockedUntil || source.lockedUntil ? { lockedUntil: (account.lockedUntil ?? source.lockedUntil)?.toISOString() } : {}),
      });
      this.logger.warn(`${OperatorsErrorCode.SIGN_IN_FAILED} user=${command.username} source=${command.source} reason=${verdict.failure}`);
      throw new OperatorsException(
        OperatorsErrorCode.SIGN_IN_FAILED,
        verdict.failure === 'no-role' ? 'Your account holds no Körpü role; ask an administrator' : 'The user name or password is wrong',
      );
    }
    await this.throttle.clear(command.accountKey);
    const token = newSessionToken();
    const hash = tokenHash(token);
    const sessionId = sessionIdOf(hash);
    const { idleSeconds, maxSeconds } = this.options.sessions;
    const expiresAt = new Date(now.getTime() + maxSeconds * 1000);
    const idleExpiresAt = new Date(Math.min(expiresAt.getTime(), now.getTime() + idleSeconds * 1000));
    await this.sessions.create({
      tokenHash: hash,
      sessionId,
      operator: verdict.name,
      roles: verdict.roles,
      source: verdict.source,
      clientAddress: command.source,
      createdAt: now,
      idleExpiresAt,
      expiresAt,
    });
    await this.record(OperatorAction.SIGN_IN, verdict.name, now, { source: command.source, via: verdict.source, sessionId, roles: verdict.roles }, { sessionId, roles: verdict.roles, expiresAt: expiresAt.toISOString() });
    return { token, expiresAt: expiresAt.toISOString(), idleExpiresAt: idleExpiresAt.toISOString(), operator: principalOf(verdict.name, verdict.roles, verdict.source, sessionId) };
  }

  private async verify(command: SignInCommand): Promise<Verdict> {
    const local = this.options.localAccounts.find((account) => account.username.toLowerCase() === command.username.toLowerCase());
    if (local) {
      // A break-glass name is never looked up in the directory too: a wrong password is a failure.
      return (await verifyPassword(command.password, local.passwordHash))
        ? { name: local.username, roles: local.roles, source: 'local' }
        : { failure: 'invalid-credentials' };
    }
    if (!this.options.directory) {
      await verifyPassword(command.password, DUMMY_PASSWORD_HASH); // as slow as a known account
      return { failure: 'invalid-credentials' };
    }
    const user = await this.directory.authenticate(command.username, command.password);
    if (!user) return { failure: 'invalid-credentials' };
    const roles = new Set<Role>();
    for (const group of user.groups) for (const role of this.options.directory.groupRoles[normalizeDn(group)] ?? []) roles.add(role);
    if (roles.size === 0) return { failure: 'no-role', name: user.name };
    return { name: user.name, roles: [...roles], source: 'directory' };
  }

  private async record(action: OperatorAction, operator: string, at: Date, detail: Record<string, unknown>, after?: unknown): Promise<void> {
    await this.audit.record({ operator, action, messageIds: [], at, detail, ...(after ? { after } : {}) });
  }
}
