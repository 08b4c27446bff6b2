import type { RequestSchema } from '@korpu/errors';
import { InputReader, REASON_SCHEMA, bodySchema, readMessageId, readOperator } from '../command-input';
import { FailedMessagesException } from '../failed-messages.exception';

/** The body of POST /v1/admin/failed-messages/:id/discard: the reason is required. */
export const DISCARD_FAILED_MESSAGE_BODY: RequestSchema = bodySchema({ reason: { ...REASON_SCHEMA, pattern: '\\S', description: 'Why: not blank (kept in the audit trail)' } }, ['reason']);

/** Put a failed message aside (`discarded`) with a reason: restorable until the retention purge; body { reason }. */
export class DiscardFailedMessageCommand {
  private constructor(
    readonly messageId: string,
    readonly operator: string,
    readonly reason: string,
  ) {}

  static create(input: { messageId: unknown; operator: unknown; body?: unknown }): DiscardFailedMessageCommand {
    const body = new InputReader(input.body, DISCARD_FAILED_MESSAGE_BODY);
    const problems = body.problems;
    const messageId = readMessageId(input.messageId, problems);
    const operator = readOperator(input.operator, problems);
    const reason = body.reason()?.trim();
    if (problems.length) throw FailedMessagesException.invalid(problems);
    return new DiscardFailedMessageCommand(messageId, operator, reason ?? '');
  }
}
