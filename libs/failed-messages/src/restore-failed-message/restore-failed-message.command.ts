import type { RequestSchema } from '@korpu/errors';
import { InputReader, REASON_SCHEMA, bodySchema, readMessageId, readOperator } from '../command-input';
import { FailedMessagesException } from '../failed-messages.exception';

/** The body of POST /v1/admin/failed-messages/:id/restore. */
export const RESTORE_FAILED_MESSAGE_BODY: RequestSchema = bodySchema({ reason: REASON_SCHEMA });

/** Bring a discarded message back to `unresolved`, within the retention period; body { reason? }. */
export class RestoreFailedMessageCommand {
  private constructor(
    readonly messageId: string,
    readonly operator: string,
    readonly reason: string | undefined,
  ) {}

  static create(input: { messageId: unknown; operator: unknown; body?: unknown }): RestoreFailedMessageCommand {
    const body = new InputReader(input.body, RESTORE_FAILED_MESSAGE_BODY);
    const messageId = readMessageId(input.messageId, body.problems);
    const operator = readOperator(input.operator, body.problems);
    const reason = body.reason();
    if (body.problems.length) throw FailedMessagesException.invalid(body.problems);
    return new RestoreFailedMessageCommand(messageId, operator, reason);
  }
}
