import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { FailedMessagesErrorCode } from '../failed-messages-error-code';
import { FailedMessagesException } from '../failed-messages.exception';
import { FAILED_MESSAGES_OPTIONS, FailedMessagesOptions } from '../failed-messages.options';

/** The request once AdminGuard let it through: who acts, for the audit trail. */
export interface AdminRequest {
  headers: Record<string, string | string[] | undefined>;
  operator?: string;
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Requires `Authorization: Bearer <token>` with one of the configured operator tokens and puts the operator's name
 * on the request (`request.operator`). Tokens are compared in constant time; no configured token: nobody passes.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly operators: Array<{ digest: Buffer; name: string }>;

  constructor(@Inject(FAILED_MESSAGES_OPTIONS) options: Pick<FailedMessagesOptions, 'operators'>) {
    this.operators = Object.entries(options.operators ?? {})
      .filter(([token, name]) => token.length > 0 && typeof name === 'string' && name.length > 0)
      .map(([token, name]) => ({ digest: digest(token), name }));
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const header = request.headers.authorization;
    const value = Array.isArray(header) ? header[0] : header;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(value ?? '');
    if (!match) {
      throw new FailedMessagesException(FailedMessagesErrorCode.ADMIN_UNAUTHENTICATED, 'An operator token is required (Authorization: Bearer <token>)');
    }
    const presented = digest(match[1]);
    let operator: string | undefined;
    for (const candidate of this.operators) {
      // Compare against every token, so the time taken does not say which one matched.
      if (timingSafeEqual(candidate.digest, presented) && operator === undefined) operator = candidate.name;
    }
    if (!operator) throw new FailedMessagesException(FailedMessagesErrorCode.ADMIN_UNAUTHENTICATED, 'The operator token is not valid');
    request.operator = operator;
    return true;
  }
}
