import type { RequestSchema } from '@korpu/errors';
import { InputReader, REASON_SCHEMA, bodySchema, readMessageId, readOperator } from '../command-input';
import { FailedMessagesException } from '../failed-messages.exception';

/** The body of POST /v1/admin/failed-messages/:id/resolve. */
export const RESOLVE_FAILED_MESSAGE_BODY: RequestSchema = bodySchema({
  archive: { type: 'boolean', description: 'archived (ignored) instead of resolved (handled elsewhere)' },
  reason: REASON_SCHEMA,
});

/** Close a failed message without replaying it: `resolved` (handled elsewhere) or, with `archive`, `archived` (ignored). */
export class ResolveFailedMessageCommand {
  private constructor(
    readonly messageId: string,
    readonly operator: string,
    readonly archive: boolean,
    readonly reason: string | undefined,
  ) {}

  static create(input: { messageId: unknown; operator: unknown; body?: unknown }): ResolveFailedMessageCommand {
    const body = new InputReader(input.body, RESOLVE_FAILED_MESSAGE_BODY);
    const problems = body.problems;
    const messageId = readMessageId(input.messageId, problems);
    const operator = readOperator(input.operator, problems);
    const archive = body.boolean('archive') ?? false;
    const reason = body.reason();
    if (problems.length) throw FailedMessagesException.invalid(problems);
    return new ResolveFailedMessageCommand(messageId, operator, archive, reason);
  }
}
