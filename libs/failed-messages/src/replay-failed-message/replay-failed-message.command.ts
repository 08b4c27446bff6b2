import type { RequestSchema } from '@korpu/errors';
import { InputReader, REASON_SCHEMA, bodySchema, readMessageId, readOperator } from '../command-input';
import { FailedMessagesException } from '../failed-messages.exception';

/** The body of POST /v1/admin/failed-messages/:id/replay. */
export const REPLAY_FAILED_MESSAGE_BODY: RequestSchema = bodySchema({
  force: { type: 'boolean', description: 'Make the partner receive it again even if its reply is already recorded; needs a reason' },
  reason: REASON_SCHEMA,
});

/** Replay one failed message to its original topic. */
export class ReplayFailedMessageCommand {
  private constructor(
    readonly messageId: string,
    readonly operator: string,
    /** Make the partner receive it again even if its reply is already recorded (sets `korpu-replay-of`). */
    readonly force: boolean,
    readonly reason: string | undefined,
  ) {}

  static create(input: { messageId: unknown; operator: unknown; body?: unknown }): ReplayFailedMessageCommand {
    const body = new InputReader(input.body, REPLAY_FAILED_MESSAGE_BODY);
    const problems = body.problems;
    const messageId = readMessageId(input.messageId, problems);
    const operator = readOperator(input.operator, problems);
    const force = body.boolean('force') ?? false;
    const reason = body.reason();
    if (force && !reason) problems.push('a forced replay needs a "reason"');
    if (problems.length) throw FailedMessagesException.invalid(problems);
    return new ReplayFailedMessageCommand(messageId, operator, force, reason);
  }
}
